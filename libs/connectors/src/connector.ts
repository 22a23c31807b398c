import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { ConnectorHttpClient } from './http/connector-http-client';

/** Prism's legacy `x-auth` kinds (reference §2.1) and the key headers each requires. */
export type LegacyAuthType = 'header-key' | 'body-key' | 'signature-key' | 'multi-auth-key' | 'no-key';

export const LEGACY_AUTH_HEADERS: Readonly<Record<LegacyAuthType, readonly string[]>> = {
  'header-key': ['x-api-key'],
  'body-key': ['x-api-key', 'x-key1'],
  'signature-key': ['x-api-key', 'x-key1', 'x-api-secret'],
  'multi-auth-key': ['x-api-key', 'x-key1', 'x-key2', 'x-api-secret'],
  'no-key': [],
};

export interface CredentialField {
  /** Field name inside the `x-connector-config` variant, as Prism spells it. */
  name: string;
  required: boolean;
  /** Secrets are registered for log scrubbing and never stored. */
  secret: boolean;
}

/** What the README's capability table says about a processor; declared by each connector. */
export interface ConnectorCapabilities {
  /** Request fields sent, as `ours → theirs`. */
  fieldsSent: string[];
  idFormat: string;
  idempotency: string;
  duplicates: string;
  limits: string[];
  /**
   * A retry of the same mapping (same idempotency key and reference) returns the customer of the
   * first attempt instead of creating another: by idempotency key, merchant-chosen id or
   * duplicate recovery. The shared contract suite holds every connector to what it declares.
   */
  replaysSafely: boolean;
  /**
   * How long the processor honours a replay of the same idempotency key, when it is bounded
   * (Stripe: 24 h). A pending mapping resumed after that is reconciled before creating again.
   */
  replayWindowHours?: number;
}

export interface ConnectorDescriptor {
  /** `x-connector` value and the `connector` column: snake_case. */
  name: string;
  /** Variant name inside `x-connector-config` (`{"config":{"Stripe":{…}}}`). */
  configVariant: string;
  displayName: string;
  credentialFields: readonly CredentialField[];
  /** How Prism's legacy headers carry the credentials: `x-auth` kind and header → config field. */
  legacyAuth: { type: LegacyAuthType; fields: Readonly<Record<string, string>> };
  /** Default endpoints by mode; `base_url` overrides replace them (allow-listed origins only). */
  baseUrls: {
    sandbox: string;
    live: string;
    /** Other hosts of the processor itself (regional, legacy) a `base_url` may name without an allow-list entry. */
    alternates?: readonly string[];
  };
  capabilities: ConnectorCapabilities;
}

export type Credentials = Readonly<Record<string, string>>;

export interface CreateCustomerCall {
  customer: CustomerProfile;
  credentials: Credentials;
  baseUrl: string;
  /** Stable for one mapping: a retry after a crash or timeout sends the same key. */
  idempotencyKey: string;
  /**
   * Stable, PII-free id of this merchant customer at this processor account (26 lowercase
   * base32 characters, an HMAC): the same for every attempt, even after the mapping row is
   * lost. Processors that accept a merchant-chosen id or reference use it.
   */
  reference: string;
  testMode: boolean;
}

export interface ConnectorCustomer {
  connectorCustomerId: string;
  /** HTTP status of the processor's answer (Prism's `status_code` is always 200 on success). */
  httpStatus: number;
  /** The processor's response headers (ASCII values; cookies and hop-by-hop headers removed). */
  responseHeaders: Record<string, string>;
}

/**
 * One processor. Stateless: credentials come with every call. A connector builds requests and
 * parses responses; timeouts, pooling, redirects and logging belong to `ConnectorHttpClient`.
 */
export interface Connector {
  readonly descriptor: ConnectorDescriptor;

  /**
   * The credential that identifies the processor account (and its mode), hashed into the
   * mapping scope so an id is never reused across accounts or test/live keys.
   */
  accountIdentity(credentials: Credentials): string;

  /** Test or live, when the credentials tell (Stripe `sk_test_`); undefined when they do not. */
  testModeOf(credentials: Credentials): boolean | undefined;

  /** The processor's own limits, checked before any call. Empty when the customer fits. */
  validateCustomer(customer: CustomerProfile): FieldViolation[];

  createCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer>;

  /**
   * Finds a customer an earlier, unanswered attempt of this mapping created, by the back-reference
   * we send (Stripe metadata search). Used when resuming a pending mapping that a replay cannot
   * protect: the connector is not retry-safe, or the replay window has passed. Undefined when the
   * processor offers no such lookup.
   */
  findCreatedCustomer?(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer | undefined>;
}
