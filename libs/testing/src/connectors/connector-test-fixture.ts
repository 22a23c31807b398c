import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ErrorReason } from '@app/common/errors/error-reason';
import type { ProcessorSandbox, RecordedRequest, SimulatorName } from '../sandbox/processor-sandbox';
import type { InjectedFault } from '../sandbox/simulators';
import type { Credentials } from '@app/connectors/connector';

export interface ConnectorErrorCase {
  name: string;
  /** The processor's answer, exactly as it documents its errors. */
  fault: InjectedFault;
  reason: ErrorReason;
  /** The processor's own code, kept in `details.connector.code`. */
  code: string;
}

/**
 * What the shared contract suite (connector-contract.spec.ts) needs to hold one connector to the
 * common promises. Each connector folder has `<name>.fixture.ts` exporting `fixture`.
 */
export interface ConnectorTestFixture {
  /** Credentials its sandbox simulator accepts, in test mode. */
  credentials: Credentials;
  /** Its simulator in the processor sandbox (libs/testing/src/sandbox); absent for a connector that makes no call (Adyen). */
  simulator?: SimulatorName;
  /** Base URL pointing at the simulator; default `sandbox.baseUrl(simulator)`. */
  baseUrl?(sandbox: ProcessorSandbox): string;
  idPattern: RegExp;
  errorCases: ConnectorErrorCase[];
  /** Customers over one of the processor's limits, and the request field that must be named. */
  limitCases: { name: string; customer: CustomerProfile; field: string }[];
  /** Problems of one recorded outbound request against the processor's published contract. */
  contractProblems?(request: RecordedRequest): string[];
  /**
   * What the lifecycle part of the shared suite may expect of `get`: does the processor's customer
   * record carry the email (false for Adyen's virtual customer). Default true.
   */
  recordsEmail?: boolean;
  /**
   * The change the lifecycle part of the shared suite updates the customer with: fields the
   * processor lets an update change. Default: a new email.
   */
  updateChange?: Pick<CustomerProfile, 'name' | 'email' | 'phone'>;
}

/** A customer using every field of the request, within every processor's limits. */
export const FULL_CUSTOMER: CustomerProfile = {
  merchantCustomerId: 'merchant-customer-0042',
  name: 'Ann Lee',
  email: 'ann.lee@example.com',
  phone: '+14155550123',
  billingAddress: {
    firstName: 'Ann',
    lastName: 'Lee',
    line1: '1 Main Street',
    line2: 'Floor 2',
    line3: 'Suite 9',
    city: 'San Francisco',
    state: 'CA',
    zipCode: '94107',
    country: 'US',
    email: 'billing@example.com',
    phoneNumber: '4155550199',
    phoneCountryCode: '+1',
  },
  shippingAddress: {
    firstName: 'Ben',
    lastName: 'Lee',
    line1: '9 Market Street',
    city: 'Oakland',
    state: 'CA',
    zipCode: '94607',
    country: 'US',
    phoneNumber: '4155550100',
    phoneCountryCode: '+1',
  },
  metadata: { plan: 'gold', source: 'web' },
  featureData: {},
  testMode: true,
};

/** Values of FULL_CUSTOMER that must never reach a log line. */
export const FULL_CUSTOMER_PERSONAL_DATA = ['Ann Lee', 'ann.lee@example.com', '+14155550123', '1 Main Street', '9 Market Street', 'billing@example.com', '4155550199'];

/** Shorthand: the full customer with some fields changed. */
export function customerWith(changes: Partial<CustomerProfile>): CustomerProfile {
  return { ...FULL_CUSTOMER, ...changes };
}
