import type { CustomerProfile, PostalAddress } from '@app/common/domain/customer-profile';
import type { DomainError, FieldViolation } from '@app/common/errors/domain-error';
import type { InboundResponse } from './http/processor-http';

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
  /**
   * The replay holds only when the retry carries the same details as the first attempt (a
   * duplicate check on email and name rather than a key: Authorize.net, Razorpay, Paystack).
   * A resumed attempt whose details changed is then reconciled by `findCreated` first, or
   * refused until the first attempt's outcome is known.
   */
  replayRequiresSameDetails?: boolean;
  /**
   * `findCreated` finding nothing proves the earlier attempt created nothing (a consistent read).
   * Absent or false (Stripe's search is eventually consistent, and unavailable in some regions):
   * nothing found hands the mapping to an operator instead of creating again.
   */
  lookupIsConclusive?: boolean;
  /** The request each supported lifecycle flow makes (`GET /v1/customers/{id}`), for the capability table. */
  lifecycle?: Partial<Record<'get' | 'update' | 'delete', string>>;
  /**
   * Facts about the processor this connector relies on, each with its source (official docs, SDK
   * path, published contract) — or none, when inferred: then the connector must choose the
   * behaviour that cannot duplicate if the claim is false, and say so in the claim.
   */
  claims?: ProcessorClaim[];
}

export interface ProcessorClaim {
  claim: string;
  /** Where it is documented (a URL, or an official repository and path); absent = inferred. */
  source?: string;
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
  /**
   * The default endpoint when it depends on the account (Checkout.com's `{prefix}.api.checkout.com`,
   * Adyen's live `{prefix}-checkout-live.adyenpayments.com`); undefined → `baseUrls` by mode.
   */
  baseUrlFor?(credentials: Credentials, testMode: boolean): string | undefined;
  /**
   * The credential that identifies the processor account (and its mode), hashed into the
   * mapping scope so an id is never reused across accounts or test/live keys. Where it is a secret
   * (a Stripe key), a rotated key would look like a new account: such connectors also declare
   * `accountIdOf` or the `identifyAccount` flow, and the scope moves to the account's own id.
   */
  accountIdentity(credentials: Credentials): string;
  /**
   * The account's own id when the credentials carry it without a secret (Authorize.net's API login
   * id, Adyen's merchant account): mappings are scoped by it, so a key rotation keeps them.
   * Undefined when these credentials do not carry it (an optional field left out).
   */
  accountIdOf?(credentials: Credentials): string | undefined;
  /** Test or live, when the credentials tell (Stripe `sk_test_`); absent when they never do. */
  testModeOf?(credentials: Credentials): boolean | undefined;
  capabilities: ConnectorCapabilities;
}

export type Credentials = Readonly<Record<string, string>>;

/** Where and as whom a flow talks to the processor: the same for every flow of one request. */
export interface ProcessorCall {
  credentials: Credentials;
  baseUrl: string;
  testMode: boolean;
}

export interface CreateCustomerCall extends ProcessorCall {
  customer: CustomerProfile;
  /** Stable for one mapping: a retry after a crash or timeout sends the same key. */
  idempotencyKey: string;
  /**
   * Stable, PII-free id of this merchant customer at this processor account (26 lowercase
   * base32 characters, an HMAC): the same for every attempt, even after the mapping row is
   * lost. Processors that accept a merchant-chosen id or reference use it.
   */
  reference: string;
}

/** A customer that exists at the processor, and how to address it. */
export interface ExistingCustomerCall extends ProcessorCall {
  /** The processor's id of the customer (the mapping's). */
  connectorCustomerId: string;
  /** The merchant's own id, for processors that address or check customers by it. */
  merchantCustomerId: string;
  /** The mapping's stable, PII-free reference (as sent on create). */
  reference: string;
}

/**
 * A change to a customer. `customer` holds only what changes — fields left undefined (and
 * metadata keys not given) stay as the processor holds them; nothing is cleared. Limits are the
 * create flow's where the processor does not document others.
 */
export interface UpdateCustomerCall extends ExistingCustomerCall {
  customer: CustomerProfile;
  /** One per update step: a retry sends the same key where the processor takes one. */
  idempotencyKey: string;
}

export interface DeleteCustomerCall extends ExistingCustomerCall {
  /** One per delete step: a retry sends the same key where the processor takes one. */
  idempotencyKey: string;
}

/** What a processor holds of a customer, as far as its API returns it. Never stored by us. */
export interface CustomerRecord {
  name?: string;
  email?: string;
  phone?: string;
  phoneCountryCode?: string;
  billingAddress?: PostalAddress;
  shippingAddress?: PostalAddress;
  metadata?: Record<string, string>;
}

export interface ConnectorCustomer {
  connectorCustomerId: string;
  /** HTTP status of the processor's answer (Prism's `status_code` is always 200 on success). */
  httpStatus: number;
  /** The processor's response headers (ASCII values; cookies and hop-by-hop headers removed). */
  responseHeaders: Record<string, string>;
}

/** A customer as the processor returned it (get, and update where the processor answers with it). */
export interface RetrievedCustomer extends ConnectorCustomer {
  record: CustomerRecord;
}

export interface DeletedCustomer {
  httpStatus: number;
  responseHeaders: Record<string, string>;
  /** The processor no longer knew the customer (a retry after a lost answer, or deleted elsewhere). */
  alreadyDeleted: boolean;
}

/** The processor's own id of the account the credentials belong to (a who-am-I answer). */
export interface ProcessorAccount {
  accountId: string;
}

/** A request to the processor as a flow builds it; the executor adds the protocol's headers and sends it. */
export interface ProcessorRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the call's base URL; '' is the base URL itself (Authorize.net's one endpoint). */
  path: string;
  query?: Readonly<Record<string, string>>;
  headers?: Readonly<Record<string, string>>;
  /** Sent as JSON (`content-type: application/json` unless a header says otherwise). */
  json?: unknown;
  /** Sent as an already encoded body, with the content type the flow or protocol sets. */
  body?: string;
}

/** A processor's answer with its body decoded by the connector's protocol (JSON unless it says otherwise). */
export interface ProcessorAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** The answer as received: what `processorError` and `invalidResponse` quote. */
  raw: InboundResponse;
}

/** The request as it will be sent, for protocols that sign it (Cybersource). */
export interface OutgoingRequest {
  method: ProcessorRequest['method'];
  url: string;
  body?: string;
}

/** Headers authenticating one request; `renew` gives fresh ones once when the processor says they lapsed (401). */
export interface Authentication {
  headers: Record<string, string>;
  renew?: () => Promise<Record<string, string>>;
}

/**
 * What every flow of one processor shares (ActiveMerchant's commit/parse template): how requests
 * are authenticated, how answers are decoded, and how an error answer reads.
 */
export interface ProcessorProtocol {
  /** Authentication, API version and content negotiation headers of every request. */
  authenticate(call: ProcessorCall, request: OutgoingRequest, session: ProcessorSession): Authentication | Promise<Authentication>;
  /** The answer's body as data; JSON when absent. An unreadable body is `invalidResponse`. */
  decode?(response: InboundResponse): unknown;
  /** A refusal (a non-2xx answer the flow does not read itself) as our error, keeping the processor's code. */
  error(answer: ProcessorAnswer): DomainError;
}

/** A flow's line to the processor, for flows that need more than one exchange. */
export interface ProcessorSession {
  /**
   * Sends one request (authenticated unless `authenticate: false`). A 2xx answer, or a status in
   * `accepts`, is returned; any other is thrown as the protocol's error.
   */
  send(request: ProcessorRequest, options?: { accepts?: readonly number[]; authenticate?: boolean }): Promise<ProcessorAnswer>;
  /** Runs another flow of the same connector within this call (a lookup after a duplicate refusal). */
  run<F extends FlowName>(flow: F, call: FlowCall<F>): Promise<FlowResult<F>>;
}

/** One request, one answer: most flows. */
export interface ExchangeFlow<C, R> {
  readonly shape: 'exchange';
  /** The processor's own limits on the customer, checked before anything is stored or sent. */
  validate?(customer: CustomerProfile): FieldViolation[];
  request(call: C): ProcessorRequest;
  /** The answer as our result. Errors on a 2xx (Authorize.net, Braintree) are thrown from here. */
  parse(answer: ProcessorAnswer, call: C): R;
  /** Non-2xx statuses this flow reads itself instead of the protocol's error (a lookup's 404). */
  accepts?: readonly number[];
}

/** Several exchanges: a lookup before creating, a recovery after a duplicate refusal. */
export interface ConversationFlow<C, R> {
  readonly shape: 'conversation';
  validate?(customer: CustomerProfile): FieldViolation[];
  run(call: C, session: ProcessorSession): Promise<R>;
}

/** A flow the processor's API does not offer, and why (shown in the capability table and the UNIMPLEMENTED error). */
export interface UnsupportedFlow {
  readonly shape: 'unsupported';
  readonly why: string;
}

export type FlowHandler<C, R> = ExchangeFlow<C, R> | ConversationFlow<C, R>;
export type FlowDeclaration<C, R> = FlowHandler<C, R> | UnsupportedFlow;

/** Every flow and what it takes and returns; a connector declares each it supports. */
export interface FlowSignatures {
  create: { call: CreateCustomerCall; result: ConnectorCustomer };
  /**
   * Finds the customer an earlier, unanswered attempt of this mapping created, by the back-reference
   * we send (Stripe's metadata search). Used when resuming a pending mapping a replay cannot protect.
   */
  findCreated: { call: CreateCustomerCall; result: ConnectorCustomer | undefined };
  get: { call: ExistingCustomerCall; result: RetrievedCustomer };
  update: { call: UpdateCustomerCall; result: ConnectorCustomer & { record?: CustomerRecord } };
  delete: { call: DeleteCustomerCall; result: DeletedCustomer };
  /**
   * The account the credentials belong to, for processors whose credentials name it only through a
   * secret: mappings are then scoped by this id, so rotating the key keeps them (cached per key).
   */
  identifyAccount: { call: ProcessorCall; result: ProcessorAccount };
}

export type FlowName = keyof FlowSignatures;
export type FlowCall<F extends FlowName> = FlowSignatures[F]['call'];
export type FlowResult<F extends FlowName> = FlowSignatures[F]['result'];

/** Flows every connector declares, as a handler or `unsupportedFlow(why)`: the capability table shows each. */
export type DeclaredFlowName = 'create' | 'get' | 'update' | 'delete';

export type ConnectorFlows = { [F in DeclaredFlowName]: FlowDeclaration<FlowCall<F>, FlowResult<F>> } & {
  [F in Exclude<FlowName, DeclaredFlowName>]?: FlowDeclaration<FlowCall<F>, FlowResult<F>>;
};

/**
 * One processor: its descriptor, its protocol and the flows it declares. Holds no per-merchant
 * state: credentials come with every call, caches (a login token) are injected collaborators.
 * Every processor call goes through `ConnectorExecutor`.
 */
export interface Connector {
  readonly descriptor: ConnectorDescriptor;
  readonly protocol: ProcessorProtocol;
  readonly flows: ConnectorFlows;
}

export function exchangeFlow<C, R>(flow: Omit<ExchangeFlow<C, R>, 'shape'>): ExchangeFlow<C, R> {
  return { shape: 'exchange', ...flow };
}

export function conversationFlow<C, R>(flow: Omit<ConversationFlow<C, R>, 'shape'>): ConversationFlow<C, R> {
  return { shape: 'conversation', ...flow };
}

export function unsupportedFlow(why: string): UnsupportedFlow {
  return { shape: 'unsupported', why };
}

/** The declared handler of `flow`, or undefined when the connector does not offer it. */
export function flowHandler<F extends FlowName>(connector: Connector, flow: F): FlowHandler<FlowCall<F>, FlowResult<F>> | undefined {
  const declared = connector.flows[flow] as FlowDeclaration<FlowCall<F>, FlowResult<F>> | undefined;
  return declared === undefined || declared.shape === 'unsupported' ? undefined : declared;
}

/** The answer of a flow that returns a customer: its id, with the answer's status and headers. */
export function customerFrom(answer: ProcessorAnswer, connectorCustomerId: string): ConnectorCustomer {
  return { connectorCustomerId, httpStatus: answer.status, responseHeaders: answer.headers };
}
