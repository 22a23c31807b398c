-- CreateIndex
CREATE INDEX "customer_mappings_tenant_listing_idx" ON "customer_mappings"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "customer_mappings_tenant_connector_customer_idx" ON "customer_mappings"("tenant_id", "connector_customer_id", "id");

-- CreateIndex
CREATE INDEX "customer_mappings_connector_listing_idx" ON "customer_mappings"("tenant_id", "connector", "id");
