-- AlterTable
ALTER TABLE "customer_mappings" ADD COLUMN "customer_hash" TEXT;
ALTER TABLE "customer_mappings" ADD COLUMN "erased_at" DATETIME;
ALTER TABLE "customer_mappings" ADD COLUMN "profile_fingerprint" TEXT;

-- CreateTable
CREATE TABLE "customer_operations" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "customer_hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "request_fingerprint" TEXT NOT NULL,
    "sealed_payload" TEXT,
    "status" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    "completed_at" DATETIME
);

-- CreateTable
CREATE TABLE "customer_operation_steps" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "operation_id" TEXT NOT NULL,
    "connector" TEXT NOT NULL,
    "account_name" TEXT,
    "connector_account" TEXT NOT NULL,
    "mapping_id" TEXT,
    "status" TEXT NOT NULL,
    "outcome" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lease_token" TEXT,
    "lease_expires_at" DATETIME,
    "next_attempt_at" DATETIME,
    "connector_customer_id" TEXT,
    "error_reason" TEXT,
    "error_code" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "customer_operations_customer_idx" ON "customer_operations"("tenant_id", "customer_hash", "id");

-- CreateIndex
CREATE UNIQUE INDEX "customer_operations_idempotency_key" ON "customer_operations"("tenant_id", "merchant_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "customer_operation_steps_operation_idx" ON "customer_operation_steps"("operation_id");

-- CreateIndex
CREATE INDEX "customer_operation_steps_due_idx" ON "customer_operation_steps"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "customer_mappings_erased_customer_idx" ON "customer_mappings"("tenant_id", "merchant_id", "customer_hash");
