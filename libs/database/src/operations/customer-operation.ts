export type OperationKind = 'create' | 'update' | 'erase';
export type OperationStatus = 'running' | 'completed';
export type StepStatus = 'pending' | 'succeeded' | 'failed' | 'not_supported' | 'unreachable';

/** One change applied to every processor profile of a merchant customer. */
export interface CustomerOperation {
  id: string;
  tenantId: string;
  merchantId: string;
  customerHash: string;
  kind: OperationKind;
  idempotencyKey: string | null;
  requestFingerprint: string;
  sealedPayload: string | null;
  status: OperationStatus;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

/** One processor account's part of an operation. */
export interface OperationStep {
  id: string;
  operationId: string;
  connector: string;
  accountName: string | null;
  connectorAccount: string;
  mappingId: string | null;
  status: StepStatus;
  outcome: string | null;
  idempotencyKey: string;
  attempts: number;
  leaseExpiresAt: Date | null;
  nextAttemptAt: Date | null;
  connectorCustomerId: string | null;
  errorReason: string | null;
  errorCode: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewOperation = Omit<CustomerOperation, 'status' | 'createdAt' | 'updatedAt' | 'completedAt'>;
export type NewStep = Pick<OperationStep, 'id' | 'operationId' | 'connector' | 'accountName' | 'connectorAccount' | 'mappingId' | 'status' | 'idempotencyKey' | 'outcome' | 'errorReason' | 'errorCode'>;

/** How a step's attempt ended: finished (any final status), or to be tried again from `retryAt`. */
export type StepResult =
  | { final: true; status: Exclude<StepStatus, 'pending'>; outcome?: string; connectorCustomerId?: string; mappingId?: string; errorReason?: string; errorCode?: string }
  | { final: false; retryAt: Date; errorReason: string; errorCode?: string };
