import { ErrorReason } from '@app/common/errors/error-reason';
import { ERROR_TABLE } from '@app/common/errors/error-table';
import type { CreateOutcome, TransportName } from './e2e-environment';

/** The outcome failed with `reason`, on the status ERROR_TABLE assigns for this transport. */
export function expectRefused(outcome: CreateOutcome, transport: TransportName, reason: ErrorReason): void {
  expect(outcome.error?.reason).toBe(reason);
  if (transport === 'rest') expect(outcome.httpStatus).toBe(ERROR_TABLE[reason].http);
  else expect(outcome.grpcCode).toBe(ERROR_TABLE[reason].grpc);
}

let sequence = 0;
/** A merchant customer id no other test uses. */
export function uniqueCustomerId(prefix = 'cust'): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${sequence}`;
}
