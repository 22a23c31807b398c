-- AlterTable
ALTER TABLE "customer_mappings" ADD COLUMN     "customer_hash" TEXT,
ADD COLUMN     "erased_at" TIMESTAMP(3),
ADD COLUMN     "profile_fingerprint" TEXT;

-- CreateTable
CREATE TABLE "customer_operations" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "customer_hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "request_fingerprint" TEXT NOT NULL,
    "sealed_payload" TEXT,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "customer_operations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_operation_steps" (
    "id" TEXT NOT NULL,
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
    "lease_expires_at" TIMESTAMP(3),
    "next_attempt_at" TIMESTAMP(3),
    "connector_customer_id" TEXT,
    "error_reason" TEXT,
    "error_code" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "customer_operation_steps_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "customer_operations_customer_idx" ON "customer_operations"("tenant_id", "customer_hash", "id");

-- CreateIndex
CREATE UNIQUE INDEX "customer_operations_idempotency_key" ON "customer_operations"("tenant_id", "merchant_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "customer_operation_steps_operation_idx" ON "customer_operation_steps"("operation_id");

-- CreateIndex
CREATE INDEX "customer_operation_steps_due_idx" ON "customer_operation_steps"("status", "next_attempt_at");

-- IF NOT EXISTS: on a large table an operator may build it first with CREATE INDEX CONCURRENTLY
-- (same name), so that applying this migration does not block writes while it is built.
-- CreateIndex
CREATE INDEX IF NOT EXISTS "customer_mappings_erased_customer_idx" ON "customer_mappings"("tenant_id", "merchant_id", "customer_hash");
