import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { CustomerOperation, OperationKind, OperationStep } from '@app/database/operations/customer-operation';

/** What a create or update operation must keep (sealed) until its steps end. */
export interface OperationPayload {
  merchantCustomerId: string;
  /** create: the customer; update: only what changes. */
  customer?: CustomerProfile;
}

export interface ProfileOperationView {
  operation: CustomerOperation;
  steps: OperationStep[];
}

export type { OperationKind };
