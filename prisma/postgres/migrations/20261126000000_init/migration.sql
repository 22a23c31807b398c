-- CreateTable
CREATE TABLE "customer_mappings" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "merchant_customer_id" TEXT NOT NULL,
    "connector" TEXT NOT NULL,
    "connector_account" TEXT NOT NULL,
    "connector_customer_id" TEXT,
    "status" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "test_mode" BOOLEAN NOT NULL,
    "lease_token" TEXT,
    "lease_expires_at" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "customer_mappings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_settings" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_settings_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "customer_mappings_connector_customer_idx" ON "customer_mappings"("connector", "connector_customer_id");

-- CreateIndex
CREATE INDEX "customer_mappings_merchant_customer_idx" ON "customer_mappings"("tenant_id", "merchant_id", "merchant_customer_id");

-- CreateIndex
CREATE INDEX "customer_mappings_merchant_listing_idx" ON "customer_mappings"("tenant_id", "merchant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "customer_mappings_scope_key" ON "customer_mappings"("tenant_id", "merchant_id", "connector", "connector_account", "merchant_customer_id");

