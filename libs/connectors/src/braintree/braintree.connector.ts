import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import {
  customerFrom,
  exchangeFlow,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type CustomerRecord,
  type DeletedCustomer,
  type DeleteCustomerCall,
  type ExistingCustomerCall,
  type ProcessorAccount,
  type ProcessorAnswer,
  type ProcessorCall,
  type ProcessorProtocol,
  type RetrievedCustomer,
  type UpdateCustomerCall,
} from '../connector';
import { invalidResponse, processorError } from '../http/processor-response';
import {
  BRAINTREE_GET_CUSTOMER_QUERY,
  BRAINTREE_LIMITS,
  BRAINTREE_VIEWER_QUERY,
  braintreeErrors,
  braintreeMerchantId,
  braintreeRecord,
  createdBraintreeCustomer,
  deletedBraintreeCustomer,
  retrievedBraintreeCustomer,
  toBraintreeCreateCustomerRequest,
  toBraintreeDeleteCustomerRequest,
  toBraintreeUpdateCustomerRequest,
  updatedBraintreeCustomer,
  validateForBraintree,
  type BraintreeCustomer,
  type BraintreeGraphQLError,
} from './braintree.transformers';

/**
 * `Braintree-Version` (YYYY-MM-DD): the API as of the schema revision our mapping was checked
 * against (braintree/graphql-api schema.graphql, CHANGELOG 02-12-2025).
 */
export const BRAINTREE_VERSION = '2025-02-12';

/** Response header carrying the customer's legacy (SDK/Control Panel) id next to the GraphQL id. */
export const BRAINTREE_LEGACY_ID_HEADER = 'braintree-legacy-id';

/**
 * Braintree's GraphQL `extensions.errorClass` values → our reason, and whether Braintree may have
 * created the customer anyway. Classes outside this list are the processor leaving its contract.
 */
const ERROR_CLASSES: Readonly<Record<string, { reason: ErrorReason; mayHaveActed: boolean }>> = {
  VALIDATION: { reason: ErrorReason.ConnectorInvalidRequest, mayHaveActed: false },
  AUTHENTICATION: { reason: ErrorReason.ConnectorAuthenticationFailed, mayHaveActed: false },
  AUTHORIZATION: { reason: ErrorReason.ConnectorPermissionDenied, mayHaveActed: false },
  NOT_FOUND: { reason: ErrorReason.ConnectorNotFound, mayHaveActed: false },
  UNSUPPORTED_CLIENT: { reason: ErrorReason.ConnectorRequestRejected, mayHaveActed: false },
  RESOURCE_LIMIT: { reason: ErrorReason.ConnectorRateLimited, mayHaveActed: false },
  INTERNAL: { reason: ErrorReason.ConnectorInternalError, mayHaveActed: true },
  SERVICE_AVAILABILITY: { reason: ErrorReason.ConnectorUnavailable, mayHaveActed: true },
};

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

const descriptor: ConnectorDescriptor = {
  name: 'braintree',
  configVariant: 'Braintree',
  displayName: 'Braintree',
  credentialFields: [
    { name: 'public_key', required: true, secret: false },
    { name: 'private_key', required: true, secret: true },
    // Prism requires it; customers belong to the whole gateway account, so createCustomer never sends it.
    { name: 'merchant_account_id', required: true, secret: false },
  ],
  legacyAuth: { type: 'signature-key', fields: { 'x-api-key': 'public_key', 'x-api-secret': 'private_key', 'x-key1': 'merchant_account_id' } },
  baseUrls: { sandbox: 'https://payments.sandbox.braintree-api.com/', live: 'https://payments.braintree-api.com/' },
  // Braintree keys carry no environment marker: sandbox and production keys look alike.
  accountIdentity: (credentials) => credentials.public_key,
  capabilities: {
    fieldsSent: [
      'customer_name → firstName (whole; firstName/lastName from the billing names when they spell customer_name)',
      'address.billing_address.first_name / last_name → firstName / lastName (without customer_name)',
      'email (else the billing email) → email',
      'phone_number (else the billing phone with its calling code) → phoneNumber',
      'not sent: merchant_customer_id, metadata (CustomerInput has no metadata; customFields must first exist in the Control Panel), billing and shipping postal addresses (CustomerInput holds none)',
    ],
    idFormat: `GraphQL node id (base64 of \`customer_<legacyId>\`, e.g. \`Y3VzdG9tZXJfNDk0MDE5\`); the legacy id is returned in the \`${BRAINTREE_LEGACY_ID_HEADER}\` response header`,
    idempotency:
      'none for createCustomer: CreateCustomerInput takes no apiRequestKey and no merchant-chosen id (only transaction mutations get At-Most-Once Processing); clientMutationId carries our idempotency key for reconciliation only',
    duplicates: 'Braintree never deduplicates customers: every createCustomer call creates one; the mapping store is the only guard',
    replaysSafely: false,
    lifecycle: {
      get: 'POST /graphql: node(id:) with a Customer fragment',
      update: 'POST /graphql: updateCustomer (only the fields that change)',
      delete: 'POST /graphql: deleteCustomer (NOT_FOUND: already deleted)',
    },
    limits: [
      `firstName ≤ ${BRAINTREE_LIMITS.firstName} characters`,
      `lastName ≤ ${BRAINTREE_LIMITS.lastName} characters`,
      `email ≤ ${BRAINTREE_LIMITS.email} characters`,
      `phoneNumber ≤ ${BRAINTREE_LIMITS.phoneNumber} characters`,
    ],
    claims: [
      {
        claim: 'first name, last name, email and phone hold 255 characters each (validation errors 81608, 81613, 81605, 81614)',
        source: 'https://developer.paypal.com/braintree/docs/reference/general/validation-errors/all/',
      },
      {
        claim:
          'createCustomer, updateCustomer and deleteCustomer take no idempotency key (apiRequestKey is on transaction inputs only) and CustomerInput has no merchant-chosen id or metadata, so no lookup can find the customer of a lost create: such a mapping goes to an operator',
        source: 'braintree/graphql-api schema.graphql (CreateCustomerInput, UpdateCustomerInput, DeleteCustomerInput, CustomerInput); https://developer.paypal.com/braintree/graphql/integration_guides/idempotency',
      },
      {
        claim: 'a customer is fetched by node(id:) with its global id (Customer implements Node), changed by updateCustomer, deleted by deleteCustomer',
        source: 'braintree/graphql-api schema.graphql (Query.node, Mutation.updateCustomer, Mutation.deleteCustomer); https://developer.paypal.com/braintree/graphql/guides/node_query',
      },
      {
        claim: 'on update an omitted CustomerInput field is left as it is and null clears it',
        source: 'braintree/graphql-api schema.graphql (input CustomerInput)',
      },
      {
        claim: 'deleteCustomer refuses a customer that still has payment methods (reported as the error Braintree sends; nothing deleted)',
        source: 'braintree/graphql-api schema.graphql (Mutation.deleteCustomer)',
      },
      {
        claim: 'errors come with HTTP 200 in errors[] and an errorClass (VALIDATION, AUTHENTICATION, AUTHORIZATION, NOT_FOUND, UNSUPPORTED_CLIENT, RESOURCE_LIMIT, INTERNAL, SERVICE_AVAILABILITY)',
        source: 'braintree/braintree_node lib/braintree/graphql/graphql.js; https://developer.paypal.com/braintree/in-person/guides/graphql-error-handling',
      },
      {
        claim:
          'an unknown or deleted customer id answers errorClass NOT_FOUND on node and deleteCustomer: get reports it as not found, delete as already deleted (the class is documented, that a deleted customer answers it is inferred)',
      },
      {
        claim: 'viewer { merchant { id } } names the merchant the API key belongs to, which stays the same when keys are rotated',
        source: 'braintree/graphql-api schema.graphql (Viewer.merchant: "Details about the authenticated merchant", Merchant.id)',
      },
      {
        claim:
          'a request without a Braintree-Version header is refused with HTTP 426 / UNSUPPORTED_CLIENT (inferred: Braintree\'s SDK reads 426 and UNSUPPORTED_CLIENT as "Upgrade Required", no document ties them to the header); the connector always sends a pinned version and reads a 426 as a refusal before anything was done',
      },
    ],
  },
};

/** The error Braintree's classification matters most for: any non-VALIDATION one, as its SDKs do. */
function primaryError(errors: BraintreeGraphQLError[]): BraintreeGraphQLError {
  return errors.find((error) => error.extensions?.errorClass !== 'VALIDATION') ?? errors[0];
}

/**
 * GraphQL errors → our error. Braintree answers most of them with HTTP 200, so the reason comes
 * from `errorClass`, and whether it may have acted from the class as much as from the status.
 */
function braintreeError(answer: ProcessorAnswer, errors: BraintreeGraphQLError[]): DomainError {
  const response = answer.raw;
  const primary = primaryError(errors);
  const errorClass = primary.extensions?.errorClass;
  const known = errorClass === undefined ? undefined : ERROR_CLASSES[errorClass];
  const error = processorError(
    descriptor,
    response,
    {
      code: primary.extensions?.legacyCode ?? errorClass ?? 'unknown',
      message: errors.map((e) => e.message).filter(Boolean).join('; ') || 'no message',
      param: primary.extensions?.inputPath?.join('.'),
      type: errorClass,
    },
    known?.reason ?? ErrorReason.ConnectorInvalidResponse,
  );
  const outcomeUnknown = error.details.outcomeUnknown === true || (known?.mayHaveActed ?? true);
  return outcomeUnknown === error.details.outcomeUnknown ? error : new DomainError(error.reason, error.message, { ...error.details, outcomeUnknown });
}

/** HTTP Basic with the API key pair and the pinned `Braintree-Version` on every request. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => {
    const { public_key: publicKey, private_key: privateKey } = call.credentials;
    return {
      headers: {
        authorization: `Basic ${Buffer.from(`${publicKey}:${privateKey}`).toString('base64')}`,
        'braintree-version': BRAINTREE_VERSION,
        accept: 'application/json',
      },
    };
  },
  error: (answer) => {
    const errors = braintreeErrors(answer.body);
    if (errors.length > 0) return braintreeError(answer, errors);
    return invalidResponse(descriptor, answer.raw, 'an error body without GraphQL `errors`');
  },
};

/** The customer of an answer, its legacy id in the response headers next to the GraphQL id (ASCII only, as headers must be). */
function withLegacyId(answer: ProcessorAnswer, customer: BraintreeCustomer): ConnectorCustomer {
  const found = customerFrom(answer, customer.id);
  if (customer.legacyId === undefined || !PRINTABLE_ASCII.test(customer.legacyId)) return found;
  return { ...found, responseHeaders: { ...found.responseHeaders, [BRAINTREE_LEGACY_ID_HEADER]: customer.legacyId } };
}

/** GraphQL errors on a 2xx answer as our error; none at all is Braintree leaving its contract. */
function failureOf(answer: ProcessorAnswer, missing: string): never {
  const errors = braintreeErrors(answer.body);
  if (errors.length > 0) throw braintreeError(answer, errors);
  return invalidResponse(descriptor, answer.raw, missing);
}

/**
 * `POST {base}/graphql` with the createCustomer mutation. Braintree answers most errors with
 * HTTP 200, so a 2xx is read for a customer first and for GraphQL errors after.
 */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForBraintree,
  request: (call) => ({ method: 'POST', path: 'graphql', json: toBraintreeCreateCustomerRequest(call.customer, call.idempotencyKey) }),
  parse: (answer) => {
    // A returned customer exists even if other errors came along; failing here would create a second one on retry.
    const customer = createdBraintreeCustomer(answer.body);
    if (customer) return withLegacyId(answer, customer);
    return failureOf(answer, 'neither a customer id nor GraphQL errors');
  },
});

/** `node(id:)` with a Customer fragment. A null node without errors (an id of another type) is not found too. */
const get = exchangeFlow<ExistingCustomerCall, RetrievedCustomer>({
  request: (call) => ({ method: 'POST', path: 'graphql', json: { query: BRAINTREE_GET_CUSTOMER_QUERY, variables: { id: call.connectorCustomerId } } }),
  parse: (answer) => {
    const customer = retrievedBraintreeCustomer(answer.body);
    if (customer) return { ...withLegacyId(answer, customer), record: braintreeRecord(customer) };
    const errors = braintreeErrors(answer.body);
    if (errors.length > 0) throw braintreeError(answer, errors);
    throw processorError(descriptor, answer.raw, { code: 'NOT_FOUND', message: 'node(id:) returned no Customer for this id' }, ErrorReason.ConnectorNotFound);
  },
});

/**
 * `updateCustomer` with only the fields that change: Braintree leaves omitted fields as they are.
 * UpdateCustomerInput takes no apiRequestKey; the same update repeated sets the same values.
 */
const update = exchangeFlow<UpdateCustomerCall, ConnectorCustomer & { record?: CustomerRecord }>({
  validate: validateForBraintree,
  request: (call) => ({ method: 'POST', path: 'graphql', json: toBraintreeUpdateCustomerRequest(call.connectorCustomerId, call.customer, call.idempotencyKey) }),
  parse: (answer) => {
    const customer = updatedBraintreeCustomer(answer.body);
    if (customer) return { ...withLegacyId(answer, customer), record: braintreeRecord(customer) };
    return failureOf(answer, 'neither the updated customer nor GraphQL errors');
  },
});

/** `deleteCustomer`; NOT_FOUND means the customer is already gone (a retry after a lost answer). */
const remove = exchangeFlow<DeleteCustomerCall, DeletedCustomer>({
  request: (call) => ({ method: 'POST', path: 'graphql', json: toBraintreeDeleteCustomerRequest(call.connectorCustomerId, call.idempotencyKey) }),
  parse: (answer) => {
    const errors = braintreeErrors(answer.body);
    const deleted = { httpStatus: answer.status, responseHeaders: answer.headers };
    if (errors.length === 0 && deletedBraintreeCustomer(answer.body)) return { ...deleted, alreadyDeleted: false };
    if (errors.length > 0 && primaryError(errors).extensions?.errorClass === 'NOT_FOUND') return { ...deleted, alreadyDeleted: true };
    return failureOf(answer, 'neither a deleteCustomer payload nor GraphQL errors');
  },
});

/** The merchant behind the API key pair (`viewer.merchant.id`): the same after the keys are rotated. */
const identifyAccount = exchangeFlow<ProcessorCall, ProcessorAccount>({
  request: () => ({ method: 'POST', path: 'graphql', json: { query: BRAINTREE_VIEWER_QUERY } }),
  parse: (answer) => {
    const accountId = braintreeMerchantId(answer.body);
    if (accountId !== undefined) return { accountId };
    return failureOf(answer, 'no viewer.merchant.id');
  },
});

const flows: ConnectorFlows = { create, get, update, delete: remove, identifyAccount };

/**
 * Braintree `createCustomer` over GraphQL: `POST {base}/graphql`, HTTP Basic with the API key
 * pair, a pinned `Braintree-Version`. Not retry-safe: Braintree offers neither an idempotency key
 * nor a merchant-chosen id on this mutation.
 */
@Injectable()
export class BraintreeConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}
