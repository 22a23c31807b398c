import { Injectable } from '@nestjs/common';
import { customerEmail } from '@app/common/domain/customer-fields';
import { DomainError } from '@app/common/errors/domain-error';
import {
  conversationFlow,
  customerFrom,
  exchangeFlow,
  unsupportedFlow,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type ExistingCustomerCall,
  type FlowResult,
  type ProcessorAnswer,
  type ProcessorProtocol,
  type RetrievedCustomer,
  type UpdateCustomerCall,
} from '../connector';
import { customerAnswer, invalidResponse, processorError, withOutcomeUnknown } from '../http/processor-response';
import {
  isOurPaystackCustomer,
  isPaystackCustomerAnswer,
  isPaystackErrorResponse,
  paystackCustomerRecord,
  paystackCustomerSegment,
  paystackEmailChange,
  toPaystackCreateCustomerRequest,
  toPaystackUpdateCustomerRequest,
  validateForPaystack,
  validateForPaystackUpdate,
  type PaystackCustomerObject,
} from './paystack.transformers';

const PAYSTACK_CONTRACT = 'PaystackOSS/openapi `dist/paystack.yaml`';

const descriptor: ConnectorDescriptor = {
  name: 'paystack',
  configVariant: 'Paystack',
  displayName: 'Paystack',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both modes: the secret key (sk_test_ / sk_live_) decides.
  baseUrls: { sandbox: 'https://api.paystack.co/', live: 'https://api.paystack.co/' },
  accountIdentity: (credentials) => credentials.api_key,
  testModeOf: (credentials) => {
    const match = /^sk_(test|live)_/.exec(credentials.api_key);
    return match ? match[1] === 'test' : undefined;
  },
  capabilities: {
    fieldsSent: [
      'email → email (else the billing email; required)',
      'customer_name → first_name (whole), or billing first_name/last_name → first_name/last_name when they are the name',
      'phone_number → phone (else the billing phone with its calling code)',
      'metadata → metadata (a JSON string)',
      'merchant_customer_id → metadata.merchant_customer_id',
      'address.billing_address, address.shipping_address: not sent (Paystack customers hold no address)',
    ],
    idFormat: '`CUS_…` (`customer_code`)',
    idempotency:
      'none for customers; that Paystack answers a known email with the customer it holds is not documented, so a retry is not trusted to replay: a resumed unanswered attempt is first fetched by its email and recognised by our metadata back-reference',
    duplicates:
      'reportedly one customer per email per integration (a create with a known email returns the existing customer, its data unchanged; third-party sources only), so merchant customers sharing an email may share one Paystack customer',
    replaysSafely: false,
    replayRequiresSameDetails: true,
    lookupIsConclusive: false,
    lifecycle: {
      get: 'GET /customer/{code}',
      update: 'GET /customer/{code}, then PUT /customer/{code} with every held field merged with the change (an email cannot change)',
    },
    claims: [
      {
        claim:
          'Creating a customer with an email the integration already holds answers that customer: unverified (third-party sources only), so create is declared not replay-safe and an unanswered attempt is looked up before anything is sent again — if the claim is false, nothing is created blind',
      },
      {
        claim:
          '`GET /customer/{email_or_code}` also fetches by email (the official contract names the parameter `code`; the email form is third-party documentation): if it does not, the lookup finds nothing, which is never taken as proof, so the mapping goes to an operator',
      },
      {
        claim: 'Paystack customers hold email, first_name, last_name, phone and metadata (sent as a stringified JSON object)',
        source: `${PAYSTACK_CONTRACT} (CustomerCreate, CustomerFetchResponse)`,
      },
      {
        claim: 'Update takes first_name, last_name, phone and metadata only: a change of email is refused, after the read and before any write',
        source: `${PAYSTACK_CONTRACT} (customer_update, CustomerUpdate)`,
      },
      {
        claim: 'Whether update keeps fields it is not sent, and clears a last_name sent empty, is undocumented: every held field is sent back merged with the change; if an empty last_name is ignored, the old one stays (stale, never lost elsewhere)',
      },
      { claim: 'No customer delete exists', source: `${PAYSTACK_CONTRACT} (paths /customer…: create, list, fetch, update, identification, risk action, authorizations)` },
      { claim: 'No endpoint names the integration a secret key belongs to: mappings stay scoped by the key', source: `${PAYSTACK_CONTRACT} (only /integration/payment_session_timeout)` },
    ],
    limits: ['email required'],
  },
};

function paystackError(answer: ProcessorAnswer): DomainError {
  const { body, raw: response } = answer;
  if (!isPaystackErrorResponse(body)) return invalidResponse(descriptor, response, 'an error body without `status: false`');
  return processorError(descriptor, response, {
    // Paystack's older errors carry only a message; its status then stands in for a code.
    code: body.code ?? body.type ?? `http_${response.status}`,
    message: body.message ?? 'no message',
    type: body.type,
  });
}

/** Bearer secret key on every request; errors as `status: false` with a message. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({ headers: { authorization: `Bearer ${call.credentials.api_key}` } }),
  error: paystackError,
};

/** Paystack `POST /customer`: JSON; the email identifies the customer. */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForPaystack,
  request: (call) => ({ method: 'POST', path: 'customer', json: toPaystackCreateCustomerRequest(call.customer) }),
  parse: customerAnswer(descriptor, isPaystackCustomerAnswer, (body) => body.data.customer_code, 'no customer_code'),
});

/** `customer/{email_or_code}`: fetch and update take the code, fetch also an email. */
const customerPath = (emailOrCode: string) => `customer/${paystackCustomerSegment(emailOrCode)}`;

function heldCustomer(answer: ProcessorAnswer): PaystackCustomerObject {
  if (!isPaystackCustomerAnswer(answer.body)) invalidResponse(descriptor, answer.raw, 'no customer_code');
  return answer.body.data;
}

function retrievedCustomer(answer: ProcessorAnswer): RetrievedCustomer {
  const customer = heldCustomer(answer);
  return { ...customerFrom(answer, customer.customer_code), record: paystackCustomerRecord(customer) };
}

/**
 * The customer an earlier, unanswered create of this mapping made: fetched by its email (Paystack
 * keys customers by email) and recognised by our metadata back-reference. Another merchant
 * customer's, or none, is not found; any refusal keeps the outcome unknown.
 */
const findCreated = conversationFlow<CreateCustomerCall, ConnectorCustomer | undefined>({
  run: async (call, session) => {
    const email = customerEmail(call.customer).value;
    if (email === undefined) return undefined;
    try {
      const answer = await session.send({ method: 'GET', path: customerPath(email) }, { accepts: [404] });
      if (answer.status === 404) return undefined;
      const customer = heldCustomer(answer);
      return isOurPaystackCustomer(customer, call.customer.merchantCustomerId) ? customerFrom(answer, customer.customer_code) : undefined;
    } catch (error) {
      throw withOutcomeUnknown(error);
    }
  },
});

/** Paystack `GET /customer/{code}` (customer_fetch). */
const get = exchangeFlow<ExistingCustomerCall, RetrievedCustomer>({
  request: (call) => ({ method: 'GET', path: customerPath(call.connectorCustomerId) }),
  parse: retrievedCustomer,
});

/**
 * Paystack `PUT /customer/{code}` (customer_update), after reading the customer: its metadata is
 * merged with the change, every held field is sent back, and an email change — which the update
 * cannot make — is refused before anything is written.
 */
const update = conversationFlow<UpdateCustomerCall, FlowResult<'update'>>({
  validate: validateForPaystackUpdate,
  run: async (call, session) => {
    const held = heldCustomer(await session.send({ method: 'GET', path: customerPath(call.connectorCustomerId) }));
    const emailChange = paystackEmailChange(call.customer, held);
    if (emailChange) {
      throw DomainError.invalidField(emailChange.field, 'Paystack cannot change a customer’s email: its update takes first_name, last_name, phone and metadata only');
    }
    const answer = await session.send({ method: 'PUT', path: customerPath(held.customer_code), json: toPaystackUpdateCustomerRequest(call.customer, held) });
    return retrievedCustomer(answer);
  },
});

const flows: ConnectorFlows = {
  create,
  findCreated,
  get,
  update,
  delete: unsupportedFlow(
    'Paystack’s Customer API has no delete: /customer offers create, list, fetch, update, identification, risk action and authorization deactivation only (PaystackOSS/openapi dist/paystack.yaml)',
  ),
  identifyAccount: unsupportedFlow('Paystack has no endpoint naming the integration a secret key belongs to (PaystackOSS/openapi dist/paystack.yaml): mappings stay scoped by the key'),
};

/** Paystack: JSON, Bearer secret key; the email identifies the customer. */
@Injectable()
export class PaystackConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}
