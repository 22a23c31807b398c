import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import {
  conversationFlow,
  customerFrom,
  exchangeFlow,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type Credentials,
  type CustomerRecord,
  type DeleteCustomerCall,
  type DeletedCustomer,
  type ExistingCustomerCall,
  type ProcessorAnswer,
  type ProcessorProtocol,
  type ProcessorSession,
  type RetrievedCustomer,
  type UpdateCustomerCall,
} from '../connector';
import type { InboundResponse } from '../http/processor-http';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError } from '../http/processor-response';
import {
  CHECKOUT_LIMITS,
  checkoutRecord,
  isCheckoutCustomer,
  isCheckoutError,
  isCustomerOf,
  metadataProblems,
  toCheckoutCreateCustomerRequest,
  toCheckoutUpdateCustomerRequest,
  validateCheckoutUpdate,
  validateForCheckout,
  type CheckoutRetrieveCustomerResponse,
} from './checkout.transformers';

/**
 * The account prefix of `https://{prefix}.api.checkout.com` (Dashboard → Developers → Overview), as
 * the official SDK validates its `subdomain` option (checkout-sdk-node `src/EnvironmentSubdomain.js`).
 */
const SUBDOMAIN = /^(?:pl-)?[a-z0-9]+$/;
const CHECKOUT_SDK = 'checkout/checkout-sdk-node';
const CHECKOUT_SPEC = 'checkout/checkout-api-reference';

/** The account-specific host the SDK builds from `subdomain` (`src/config.js`, `src/EnvironmentSubdomain.js`). */
function accountBaseUrl(credentials: Credentials, testMode: boolean): string | undefined {
  const subdomain = credentials.subdomain;
  if (subdomain === undefined || subdomain === '') return undefined;
  if (!SUBDOMAIN.test(subdomain)) {
    throw DomainError.invalidConnectorConfiguration('x-connector-config', [
      { field: 'x-connector-config.config.Checkout.subdomain', description: 'must be the account prefix: lowercase letters and digits, optionally after pl-' },
    ]);
  }
  return testMode ? `https://${subdomain}.api.sandbox.checkout.com/` : `https://${subdomain}.api.checkout.com/`;
}
const SANDBOX_KEY = /^sk_(?:sbox|test)_/;
/** Live secret keys carry no mode marker: `sk_` + the key itself (NAS base32, or a UUID on the previous platform). */
const LIVE_KEY = /^sk_(?:[a-z2-7]{26}[a-z2-7*#$=]|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const PREVIOUS_PLATFORM_KEY = /^sk_(?:test_)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const descriptor: ConnectorDescriptor = {
  name: 'checkout',
  // Prism has no typed Checkout variant (reference §2.2); this one is ours, named as Prism would.
  configVariant: 'Checkout',
  displayName: 'Checkout.com',
  credentialFields: [
    { name: 'api_key', required: true, secret: true },
    // The account prefix of the account-specific host; it names an account but is no secret.
    { name: 'subdomain', required: false, secret: false },
  ],
  // Prism's signature-key carries the public key (x-api-key), processing channel (x-key1) and the
  // secret key (x-api-secret); only the secret key authorizes /customers.
  legacyAuth: { type: 'signature-key', fields: { 'x-api-secret': 'api_key' } },
  baseUrls: { sandbox: 'https://api.sandbox.checkout.com/', live: 'https://api.checkout.com/' },
  baseUrlFor: accountBaseUrl,
  accountIdentity: (credentials) => credentials.api_key,
  testModeOf: (credentials) => {
    if (SANDBOX_KEY.test(credentials.api_key)) return true;
    return LIVE_KEY.test(credentials.api_key) ? false : undefined;
  },
  capabilities: {
    fieldsSent: [
      'email → email (required)',
      'customer_name → name',
      'phone_number → phone{country_code, number} (split at the E.164 calling code)',
      'metadata → metadata',
      'merchant_customer_id → metadata.merchant_customer_id',
      'address.* → not sent (Checkout.com customers hold no address)',
    ],
    idFormat: '`cus_…`',
    idempotency: 'none for /customers (`Cko-Idempotency-Key` covers payments only); `GET /customers/{email}` first, and a customer whose metadata.merchant_customer_id is ours is returned instead of created',
    duplicates:
      'the email finds a customer (`GET /customers/{email}`); one that is not ours (another merchant_customer_id, or none) is refused as FAILED_PRECONDITION with nothing created, since the lookup cannot tell whether ours hides behind it',
    replaysSafely: true,
    // The replay is the email lookup: a retry carrying another email cannot find the first attempt's customer.
    replayRequiresSameDetails: true,
    lookupIsConclusive: false,
    lifecycle: {
      get: 'GET /customers/{id}',
      update: 'PATCH /customers/{id} (metadata: read first and merged, Checkout.com replaces it whole)',
      delete: 'DELETE /customers/{id}',
    },
    limits: [
      `email required, ≤ ${CHECKOUT_LIMITS.email}`,
      `name ≤ ${CHECKOUT_LIMITS.name}`,
      `phone: a known calling code, number ${CHECKOUT_LIMITS.phoneNumberMin}–${CHECKOUT_LIMITS.phoneNumberMax}`,
      `metadata ≤ ${CHECKOUT_LIMITS.metadataPairs} pairs (one is ours), key and value ≤ ${CHECKOUT_LIMITS.metadataValueLength}`,
      `merchant_customer_id ≤ ${CHECKOUT_LIMITS.metadataValueLength}`,
      'subdomain: the account prefix (lowercase letters and digits, optionally after pl-)',
    ],
    claims: [
      {
        claim: 'each account has its own hosts `{prefix}.api.checkout.com` and `{prefix}.api.sandbox.checkout.com`; the SDK builds them from its `subdomain` option',
        source: `${CHECKOUT_SDK} src/config.js, src/EnvironmentSubdomain.js; https://checkout.com/docs/payments/store-and-manage-credentials/store-credentials/customers`,
      },
      { claim: 'GET /customers/{identifier} takes the customer id or email; 404 when not found', source: `${CHECKOUT_SPEC} nas_spec/paths/customers@{identifier}.yaml` },
      {
        claim: 'an email names at most one customer of an account (a second create with the same email is refused). The simulator’s `customer_email_already_exists` is its own invention. If emails were not unique the lookup could return another customer while ours exists, so a lookup finding a customer that is not ours refuses instead of creating: no duplicate either way',
      },
      {
        claim: 'the email lookup sees a customer as soon as its create was answered (read-after-write); not documented, so the lookup is not declared conclusive',
      },
      { claim: '/customers takes no idempotency key (`Cko-Idempotency-Key` is documented for payments only)', source: 'https://www.checkout.com/docs/payments/manage-payments/idempotency' },
      {
        claim: 'PATCH /customers/{id} answers 204; metadata provided "will replace any existing stored" (hence read and merged first)',
        source: `${CHECKOUT_SPEC} nas_spec/paths/customers@{identifier}.yaml, nas_spec/components/schemas/customers/UpdateCustomerDetailsRequest.yaml`,
      },
      { claim: 'DELETE /customers/{id} answers 204, and 404 for a customer not found (a retry after a lost answer)', source: `${CHECKOUT_SPEC} nas_spec/paths/customers@{identifier}.yaml; ${CHECKOUT_SDK} test/customers/customers-it.js` },
      { claim: 'no endpoint names the account of a secret key; mappings stay scoped by the key (the subdomain, when given, names the account but the contract’s accountIdOf cannot be optional)' },
    ],
  },
};

/** The previous (ABC) platform takes the bare secret key; the current one a Bearer token. */
function authorization(apiKey: string): string {
  return PREVIOUS_PLATFORM_KEY.test(apiKey) ? apiKey : `Bearer ${apiKey}`;
}

/**
 * The email as a path segment. `@` stays literal (it is a valid path character) so the shared
 * client's log scrubbing recognises the address in the logged URL.
 */
function emailSegment(email: string): string {
  return encodeURIComponent(email).replace(/%40/g, '@');
}

/** An error body that is not JSON, kept for `checkoutError` to refuse once the status says the body matters. */
const UNREADABLE = Symbol('not JSON');

/**
 * Error bodies are read only once the status says they matter: 401s (and some gateway answers)
 * come with an empty body, and a lookup's 404 means "no such customer" whatever its body holds.
 */
function decodeCheckout(response: InboundResponse): unknown {
  if (isSuccessStatus(response.status)) return parseJsonBody(descriptor, response);
  if (response.body.trim() === '') return undefined;
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    return UNREADABLE;
  }
}

function checkoutError(answer: ProcessorAnswer): DomainError {
  const { body, raw: response } = answer;
  // 401 (and some gateway answers) come with an empty body.
  if (body === undefined) return processorError(descriptor, response, { code: `http_${response.status}`, message: 'empty body' });
  if (body === UNREADABLE) return invalidResponse(descriptor, response, 'a body that is not JSON');
  if (!isCheckoutError(body)) return invalidResponse(descriptor, response, 'an error body without error_type or error_codes');
  const codes = body.error_codes ?? [];
  return processorError(descriptor, response, {
    code: codes[0] ?? body.error_type ?? `http_${response.status}`,
    message: codes.length > 0 ? codes.join(', ') : (body.error_type ?? 'no message'),
    type: body.error_type,
  });
}

/** The secret key on every request, bare or as Bearer token by its platform. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({ headers: { authorization: authorization(call.credentials.api_key) } }),
  decode: decodeCheckout,
  error: checkoutError,
};

type EmailLookup = { found: 'none' } | { found: 'ours'; customer: ConnectorCustomer } | { found: 'other'; answer: ProcessorAnswer; id: string };

/** The customer Checkout.com finds by this email: none, the one an earlier attempt of this mapping created, or another. */
async function lookUpEmail(call: CreateCustomerCall, email: string, session: ProcessorSession): Promise<EmailLookup> {
  const answer = await session.send({ method: 'GET', path: `customers/${emailSegment(email)}` }, { accepts: [404] });
  if (answer.status === 404) return { found: 'none' };
  if (!isCheckoutCustomer(answer.body)) invalidResponse(descriptor, answer.raw, 'a customer without id');
  if (isCustomerOf(answer.body, call.customer.merchantCustomerId)) return { found: 'ours', customer: customerFrom(answer, answer.body.id) };
  return { found: 'other', answer, id: answer.body.id };
}

/**
 * `POST /customers`, JSON. The endpoint takes no idempotency key, so the email is looked up first
 * and the customer an earlier attempt created is returned. A customer of this email that is not ours
 * stops the create: were emails not unique at Checkout.com (undocumented), it could hide ours.
 */
const create = conversationFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForCheckout,
  run: async (call, session) => {
    const request = toCheckoutCreateCustomerRequest(call.customer);
    if (request.email !== undefined) {
      const lookup = await lookUpEmail(call, request.email, session);
      if (lookup.found === 'ours') return lookup.customer;
      if (lookup.found === 'other') {
        throw processorError(
          descriptor,
          lookup.answer.raw,
          {
            code: 'email_held_by_another_customer',
            message: `Checkout.com holds customer ${lookup.id} under this email, not created for this merchant_customer_id; nothing was created, since the email lookup cannot tell whether an earlier attempt created one too`,
          },
          ErrorReason.ConnectorRequestRejected,
          { outcomeUnknown: false },
        );
      }
    }
    const answer = await session.send({ method: 'POST', path: 'customers', json: request });
    if (!isCheckoutCustomer(answer.body)) invalidResponse(descriptor, answer.raw, 'no customer id');
    return customerFrom(answer, answer.body.id);
  },
});

/** The customer an unanswered attempt created, found by its email and recognised by our back-reference. */
const findCreated = conversationFlow<CreateCustomerCall, ConnectorCustomer | undefined>({
  run: async (call, session) => {
    const email = toCheckoutCreateCustomerRequest(call.customer).email;
    if (email === undefined) return undefined;
    const lookup = await lookUpEmail(call, email, session);
    return lookup.found === 'ours' ? lookup.customer : undefined;
  },
});

const customerPath = (call: ExistingCustomerCall) => `customers/${encodeURIComponent(call.connectorCustomerId)}`;

function retrievedBody(answer: ProcessorAnswer): CheckoutRetrieveCustomerResponse {
  if (!isCheckoutCustomer(answer.body)) invalidResponse(descriptor, answer.raw, 'a customer without id');
  return answer.body as CheckoutRetrieveCustomerResponse;
}

/** `GET /customers/{id}`: 404 (empty body) is ConnectorNotFound. */
const get = exchangeFlow<ExistingCustomerCall, RetrievedCustomer>({
  request: (call) => ({ method: 'GET', path: customerPath(call) }),
  parse: (answer) => {
    const body = retrievedBody(answer);
    return { ...customerFrom(answer, body.id), record: checkoutRecord(body) };
  },
});

/**
 * `PATCH /customers/{id}` with the fields that change; 204. Metadata sent replaces what Checkout.com
 * holds, so a change naming metadata keys reads the customer first and sends the merged map.
 */
const update = conversationFlow<UpdateCustomerCall, ConnectorCustomer & { record?: CustomerRecord }>({
  validate: validateCheckoutUpdate,
  run: async (call, session) => {
    let heldMetadata: Record<string, unknown> | null | undefined;
    if (Object.keys(call.customer.metadata).length > 0) {
      heldMetadata = retrievedBody(await session.send({ method: 'GET', path: customerPath(call) })).metadata;
    }
    const body = toCheckoutUpdateCustomerRequest(call.customer, heldMetadata);
    const problem = body.metadata && metadataProblems(body.metadata);
    if (problem) throw DomainError.invalidField('metadata', problem);
    const answer = await session.send({ method: 'PATCH', path: customerPath(call), json: body });
    return customerFrom(answer, call.connectorCustomerId);
  },
});

/** `DELETE /customers/{id}`: 204; 404 means already gone. */
const remove = exchangeFlow<DeleteCustomerCall, DeletedCustomer>({
  request: (call) => ({ method: 'DELETE', path: customerPath(call) }),
  accepts: [404],
  parse: (answer) => ({ httpStatus: answer.status, responseHeaders: answer.headers, alreadyDeleted: answer.status === 404 }),
});

const flows: ConnectorFlows = { create, findCreated, get, update, delete: remove };

/**
 * Checkout.com `POST /customers`: JSON, secret key. The endpoint takes no idempotency key, so a
 * retry first looks the email up and returns the customer an earlier attempt created.
 */
@Injectable()
export class CheckoutConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}
