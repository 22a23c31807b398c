-- DropIndex
DROP INDEX "customer_mappings_merchant_customer_idx";

-- CreateIndex
CREATE INDEX "customer_mappings_tenant_customer_idx" ON "customer_mappings"("tenant_id", "merchant_customer_id", "id");
