import type { Lease } from '../mappings/customer-mapping';
import type { CustomerOperation, NewOperation, NewStep, OperationStep, StepResult } from './customer-operation';

/** Injection token of the operation store (DatabaseModule binds the backend's implementation). */
export const CUSTOMER_OPERATION_STORE = 'CUSTOMER_OPERATION_STORE';

/**
 * Durable fan-out operations and their steps. The steps are written with their operation in one
 * transaction, before any processor is called; each is then run under a lease, like a Create
 * reservation, so one instance at a time works on it and a crashed holder's step is resumed.
 */
export interface CustomerOperationStore {
  /** Stores the operation and its steps; false when the tenant and merchant already hold its idempotency key. */
  create(operation: NewOperation, steps: NewStep[]): Promise<boolean>;
  findByIdempotencyKey(scope: { tenantId: string; merchantId: string }, idempotencyKey: string): Promise<CustomerOperation | null>;
  find(scope: { tenantId: string }, id: string): Promise<CustomerOperation | null>;
  /** The operation of a due step, whatever its tenant: for the resumer only, never for a request. */
  findForResume(id: string): Promise<CustomerOperation | null>;
  steps(operationId: string): Promise<OperationStep[]>;
  /** The newest operations of one merchant customer (by its keyed hash). */
  listForCustomer(scope: { tenantId: string; merchantId: string }, customerHash: string, limit: number): Promise<CustomerOperation[]>;
  /** Takes a pending step that nobody holds and that is due: false when another holds it or it has ended. */
  claimStep(stepId: string, lease: Lease, now: Date): Promise<boolean>;
  /** Records an attempt's result and releases the lease; false when the lease was lost meanwhile. */
  settleStep(stepId: string, leaseToken: string, result: StepResult): Promise<boolean>;
  /** Pending steps nobody holds that are due now, oldest first, of any tenant (the resumer). */
  dueSteps(now: Date, limit: number): Promise<OperationStep[]>;
  /** Marks the operation completed once no step is pending, and drops its sealed payload. */
  completeIfDone(operationId: string): Promise<boolean>;
  /** Pending steps per connector, and how many of them failed at least once and wait for a retry (metrics). */
  pendingStepsByConnector(): Promise<Map<string, { pending: number; retrying: number }>>;
}
