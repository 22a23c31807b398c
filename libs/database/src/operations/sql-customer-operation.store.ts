import { guarded, isUniqueViolation, toDatabaseUnavailable } from '../database-errors';
import type { Lease } from '../mappings/customer-mapping';
import { dateOf, type SqlDriver, type SqlParam } from '../sql-driver';
import type { CustomerOperation, NewOperation, NewStep, OperationKind, OperationStatus, OperationStep, StepResult, StepStatus } from './customer-operation';
import type { CustomerOperationStore } from './customer-operation.store';

interface OperationColumns {
  id: string;
  tenant_id: string;
  merchant_id: string;
  customer_hash: string;
  kind: string;
  idempotency_key: string | null;
  request_fingerprint: string;
  sealed_payload: string | null;
  status: string;
  created_at: Date | string;
  updated_at: Date | string;
  completed_at: Date | string | null;
}

interface StepColumns {
  id: string;
  operation_id: string;
  connector: string;
  account_name: string | null;
  connector_account: string;
  mapping_id: string | null;
  status: string;
  outcome: string | null;
  idempotency_key: string;
  attempts: number;
  lease_expires_at: Date | string | null;
  next_attempt_at: Date | string | null;
  connector_customer_id: string | null;
  error_reason: string | null;
  error_code: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const toOptionalDate = (value: Date | string | null) => (value === null ? null : dateOf(value));

function operationFrom(row: OperationColumns): CustomerOperation {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    merchantId: row.merchant_id,
    customerHash: row.customer_hash,
    kind: row.kind as OperationKind,
    idempotencyKey: row.idempotency_key,
    requestFingerprint: row.request_fingerprint,
    sealedPayload: row.sealed_payload,
    status: row.status as OperationStatus,
    createdAt: dateOf(row.created_at),
    updatedAt: dateOf(row.updated_at),
    completedAt: toOptionalDate(row.completed_at),
  };
}

function stepFrom(row: StepColumns): OperationStep {
  return {
    id: row.id,
    operationId: row.operation_id,
    connector: row.connector,
    accountName: row.account_name,
    connectorAccount: row.connector_account,
    mappingId: row.mapping_id,
    status: row.status as StepStatus,
    outcome: row.outcome,
    idempotencyKey: row.idempotency_key,
    attempts: Number(row.attempts),
    leaseExpiresAt: toOptionalDate(row.lease_expires_at),
    nextAttemptAt: toOptionalDate(row.next_attempt_at),
    connectorCustomerId: row.connector_customer_id,
    errorReason: row.error_reason,
    errorCode: row.error_code,
    createdAt: dateOf(row.created_at),
    updatedAt: dateOf(row.updated_at),
  };
}

/**
 * The operation store of both backends: portable SQL, prepared on the database's own driver
 * (nothing here differs between SQLite and PostgreSQL).
 */
export class SqlCustomerOperationStore implements CustomerOperationStore {
  constructor(protected readonly sql: SqlDriver) {}

  async create(operation: NewOperation, steps: NewStep[]): Promise<boolean> {
    const now = new Date();
    try {
      await this.sql.executeAll([
        [
          `INSERT INTO customer_operations (id, tenant_id, merchant_id, customer_hash, kind, idempotency_key, request_fingerprint, sealed_payload, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
          [operation.id, operation.tenantId, operation.merchantId, operation.customerHash, operation.kind, operation.idempotencyKey, operation.requestFingerprint, operation.sealedPayload, now, now],
        ],
        ...steps.map(
          (step): [string, SqlParam[]] => [
            `INSERT INTO customer_operation_steps (id, operation_id, connector, account_name, connector_account, mapping_id, status, outcome, idempotency_key, attempts,
               error_reason, error_code, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
            [step.id, step.operationId, step.connector, step.accountName, step.connectorAccount, step.mappingId, step.status, step.outcome, step.idempotencyKey, step.errorReason, step.errorCode, now, now],
          ],
        ),
      ]);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw toDatabaseUnavailable(error);
    }
  }

  findByIdempotencyKey(scope: { tenantId: string; merchantId: string }, idempotencyKey: string): Promise<CustomerOperation | null> {
    return guarded(async () => {
      const [row] = await this.sql.query<OperationColumns>('SELECT * FROM customer_operations WHERE tenant_id = ? AND merchant_id = ? AND idempotency_key = ?', [
        scope.tenantId,
        scope.merchantId,
        idempotencyKey,
      ]);
      return row ? operationFrom(row) : null;
    });
  }

  find(scope: { tenantId: string }, id: string): Promise<CustomerOperation | null> {
    return guarded(async () => {
      const [row] = await this.sql.query<OperationColumns>('SELECT * FROM customer_operations WHERE id = ? AND tenant_id = ?', [id, scope.tenantId]);
      return row ? operationFrom(row) : null;
    });
  }

  findForResume(id: string): Promise<CustomerOperation | null> {
    return guarded(async () => {
      const [row] = await this.sql.query<OperationColumns>('SELECT * FROM customer_operations WHERE id = ?', [id]);
      return row ? operationFrom(row) : null;
    });
  }

  steps(operationId: string): Promise<OperationStep[]> {
    return guarded(async () => (await this.sql.query<StepColumns>('SELECT * FROM customer_operation_steps WHERE operation_id = ? ORDER BY id', [operationId])).map(stepFrom));
  }

  listForCustomer(scope: { tenantId: string; merchantId: string }, customerHash: string, limit: number): Promise<CustomerOperation[]> {
    return guarded(async () => {
      const rows = await this.sql.query<OperationColumns>(
        "SELECT * FROM customer_operations WHERE tenant_id = ? AND customer_hash = ? AND merchant_id || '' = ? ORDER BY id DESC LIMIT ?",
        [scope.tenantId, customerHash, scope.merchantId, limit],
      );
      return rows.map(operationFrom);
    });
  }

  claimStep(stepId: string, lease: Lease, now: Date): Promise<boolean> {
    return guarded(async () => {
      const updated = await this.sql.execute(
        `UPDATE customer_operation_steps SET lease_token = ?, lease_expires_at = ?, attempts = attempts + 1, updated_at = ?
         WHERE id = ? AND status = 'pending' AND (lease_expires_at IS NULL OR lease_expires_at < ?) AND (next_attempt_at IS NULL OR next_attempt_at <= ?)`,
        [lease.token, lease.expiresAt, now, stepId, now, now],
      );
      return updated === 1;
    });
  }

  settleStep(stepId: string, leaseToken: string, result: StepResult): Promise<boolean> {
    return guarded(async () => {
      const now = new Date();
      const updated = result.final
        ? await this.sql.execute(
            `UPDATE customer_operation_steps SET status = ?, outcome = ?, connector_customer_id = COALESCE(?, connector_customer_id), mapping_id = COALESCE(?, mapping_id),
               error_reason = ?, error_code = ?, lease_token = NULL, lease_expires_at = NULL, next_attempt_at = NULL, updated_at = ?
             WHERE id = ? AND status = 'pending' AND lease_token = ?`,
            [result.status, result.outcome ?? null, result.connectorCustomerId ?? null, result.mappingId ?? null, result.errorReason ?? null, result.errorCode ?? null, now, stepId, leaseToken],
          )
        : await this.sql.execute(
            `UPDATE customer_operation_steps SET error_reason = ?, error_code = ?, next_attempt_at = ?, lease_token = NULL, lease_expires_at = NULL, updated_at = ?
             WHERE id = ? AND status = 'pending' AND lease_token = ?`,
            [result.errorReason, result.errorCode ?? null, result.retryAt, now, stepId, leaseToken],
          );
      return updated === 1;
    });
  }

  dueSteps(now: Date, limit: number): Promise<OperationStep[]> {
    return guarded(async () => {
      const rows = await this.sql.query<StepColumns>(
        `SELECT * FROM customer_operation_steps WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
           AND (lease_expires_at IS NULL OR lease_expires_at < ?) ORDER BY id LIMIT ?`,
        [now, now, limit],
      );
      return rows.map(stepFrom);
    });
  }

  completeIfDone(operationId: string): Promise<boolean> {
    return guarded(async () => {
      const now = new Date();
      const updated = await this.sql.execute(
        `UPDATE customer_operations SET status = 'completed', sealed_payload = NULL, completed_at = ?, updated_at = ?
         WHERE id = ? AND status = 'running' AND NOT EXISTS (SELECT 1 FROM customer_operation_steps WHERE operation_id = ? AND status = 'pending')`,
        [now, now, operationId, operationId],
      );
      return updated === 1;
    });
  }

  pendingStepsByConnector(): Promise<Map<string, { pending: number; retrying: number }>> {
    return guarded(async () => {
      // The (status, next_attempt_at) index serves it; a step that failed keeps its error until it ends.
      const rows = await this.sql.query<{ connector: string; pending: number | string; retrying: number | string }>(
        "SELECT connector, COUNT(*) AS pending, SUM(CASE WHEN error_reason IS NULL THEN 0 ELSE 1 END) AS retrying FROM customer_operation_steps WHERE status = 'pending' GROUP BY connector",
        [],
      );
      return new Map(rows.map((row) => [row.connector, { pending: Number(row.pending), retrying: Number(row.retrying) }]));
    });
  }
}
