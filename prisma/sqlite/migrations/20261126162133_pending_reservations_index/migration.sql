-- CreateIndex
CREATE INDEX "customer_mappings_status_idx" ON "customer_mappings"("status", "connector");
