-- IF NOT EXISTS: on a large table an operator may build these first with CREATE INDEX CONCURRENTLY
-- (same names), so that applying this migration does not block writes while they are built.

-- CreateIndex
CREATE INDEX IF NOT EXISTS "customer_mappings_tenant_listing_idx" ON "customer_mappings"("tenant_id", "id");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "customer_mappings_tenant_connector_customer_idx" ON "customer_mappings"("tenant_id", "connector_customer_id", "id");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "customer_mappings_connector_listing_idx" ON "customer_mappings"("tenant_id", "connector", "id");
