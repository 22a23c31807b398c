import type { SandboxRequest, SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

const NAMESPACE = 'AnetApi/xml/v1/schema/AnetApiSchema.xsd';
const ENDPOINT_PATH = '/xml/v1/request.api';

interface TextNode {
  kind: 'text';
  maxLength?: number;
  minLength?: number;
  enumeration?: readonly string[];
}
/** One position of an XSD sequence: a single element, or a choice when it names several. */
interface Slot {
  elements: Readonly<Record<string, SchemaNode>>;
  required: boolean;
  repeated: boolean;
}
interface SequenceNode {
  kind: 'sequence';
  slots: readonly Slot[];
}
type SchemaNode = TextNode | SequenceNode;

const text = (maxLength?: number, facets: Omit<TextNode, 'kind' | 'maxLength'> = {}): TextNode => ({ kind: 'text', maxLength, ...facets });
const oneOf = (...values: string[]): TextNode => ({ kind: 'text', enumeration: values });
const optional = (name: string, node: SchemaNode): Slot => ({ elements: { [name]: node }, required: false, repeated: false });
const required = (name: string, node: SchemaNode): Slot => ({ elements: { [name]: node }, required: true, repeated: false });
const repeated = (name: string, node: SchemaNode): Slot => ({ elements: { [name]: node }, required: false, repeated: true });
const choice = (elements: Record<string, SchemaNode>): Slot => ({ elements, required: true, repeated: false });
const sequence = (...slots: Slot[]): SequenceNode => ({ kind: 'sequence', slots });

/** `customerAddressType` (`nameAndAddressType` + phone, fax, email) from AnetApiSchema.xsd. */
const CUSTOMER_ADDRESS = sequence(
  optional('firstName', text(50)),
  optional('lastName', text(50)),
  optional('company', text(50)),
  optional('address', text(60)),
  optional('city', text(40)),
  optional('state', text(40)),
  optional('zip', text(20)),
  optional('country', text(60)),
  optional('phoneNumber', text(25)),
  optional('faxNumber', text(25)),
  optional('email', text()),
);

const MERCHANT_AUTHENTICATION = sequence(
  optional('name', text(25)),
  choice({
    transactionKey: text(16),
    sessionToken: text(),
    password: text(40),
    impersonationAuthentication: sequence(required('partnerLoginId', text(25)), required('partnerTransactionKey', text(16))),
    fingerPrint: sequence(required('hashValue', text()), optional('sequence', text()), required('timestamp', text()), optional('currencyCode', text()), optional('amount', text())),
    clientKey: text(),
    accessToken: text(),
  }),
  optional('mobileDeviceId', text(60)),
);

const PAYMENT = sequence(
  choice({
    creditCard: sequence(required('cardNumber', text(16, { minLength: 4 })), required('expirationDate', text(7, { minLength: 4 })), optional('cardCode', text(4, { minLength: 3 }))),
    bankAccount: sequence(
      optional('accountType', oneOf('checking', 'savings', 'businessChecking')),
      required('routingNumber', text(9)),
      required('accountNumber', text(17)),
      required('nameOnAccount', text(22)),
      optional('echeckType', oneOf('PPD', 'WEB', 'CCD', 'TEL', 'ARC', 'BOC')),
      optional('bankName', text(50)),
      optional('checkNumber', text(15)),
    ),
    opaqueData: sequence(required('dataDescriptor', text()), required('dataValue', text()), optional('dataKey', text())),
  }),
);

const PAYMENT_PROFILE = sequence(
  optional('customerType', oneOf('individual', 'business')),
  optional('billTo', CUSTOMER_ADDRESS),
  optional('payment', PAYMENT),
  optional('driversLicense', sequence(required('number', text(20, { minLength: 5 })), required('state', text(2, { minLength: 2 })), required('dateOfBirth', text(10, { minLength: 8 })))),
  optional('taxId', text(9, { minLength: 8 })),
  optional('defaultPaymentProfile', oneOf('true', 'false')),
);

const CREATE_CUSTOMER_PROFILE_REQUEST = sequence(
  required('merchantAuthentication', MERCHANT_AUTHENTICATION),
  optional('clientId', text(30)),
  optional('refId', text(20)),
  required(
    'profile',
    sequence(
      optional('merchantCustomerId', text(20)),
      optional('description', text(255)),
      optional('email', text(255)),
      repeated('paymentProfiles', PAYMENT_PROFILE),
      repeated('shipToList', CUSTOMER_ADDRESS),
      optional('profileType', oneOf('regular', 'guest')),
    ),
  ),
  optional('validationMode', oneOf('none', 'testMode', 'liveMode', 'oldLiveMode')),
);

function expectedElements(slots: readonly Slot[], from: number): string {
  const names: string[] = [];
  for (const slot of slots.slice(from)) {
    names.push(...Object.keys(slot.elements));
    if (slot.required) break;
  }
  return `'${names.join(', ')}' in namespace '${NAMESPACE}'`;
}

function textProblem(name: string, node: TextNode, value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null) {
    return `The element '${name}' in namespace '${NAMESPACE}' cannot contain child element '${Object.keys(value)[0] ?? ''}' because the parent element's content model is text only.`;
  }
  const content = value === null ? '' : String(value);
  const invalid = (why: string) => `The '${NAMESPACE}:${name}' element is invalid - The value '${content}' is invalid according to its datatype 'String' - ${why}`;
  if (node.maxLength !== undefined && content.length > node.maxLength) return invalid('The actual length is greater than the MaxLength value.');
  if (node.minLength !== undefined && content.length < node.minLength) return invalid('The actual length is less than the MinLength value.');
  if (node.enumeration && !node.enumeration.includes(content)) return invalid('The Enumeration constraint failed.');
  return undefined;
}

function sequenceProblem(name: string, node: SequenceNode, value: unknown): string | undefined {
  const content = value ?? {};
  if (typeof content !== 'object' || Array.isArray(content)) {
    return `The element '${name}' in namespace '${NAMESPACE}' cannot contain text. List of possible elements expected: ${expectedElements(node.slots, 0)}.`;
  }
  let position = 0;
  for (const [child, childValue] of Object.entries(content)) {
    const index = node.slots.findIndex((slot, i) => i >= position && Object.hasOwn(slot.elements, child));
    const skipsRequired = index >= 0 && node.slots.slice(position, index).some((slot) => slot.required);
    const slot = node.slots[index];
    if (index < 0 || skipsRequired || (Array.isArray(childValue) && !slot.repeated && childValue.length !== 1)) {
      return `The element '${name}' in namespace '${NAMESPACE}' has invalid child element '${child}' in namespace '${NAMESPACE}'. List of possible elements expected: ${expectedElements(node.slots, index >= 0 && !skipsRequired ? index + 1 : position)}.`;
    }
    for (const item of Array.isArray(childValue) ? childValue : [childValue]) {
      const problem = nodeProblem(child, slot.elements[child], item);
      if (problem) return problem;
    }
    position = index + 1;
  }
  if (node.slots.slice(position).some((slot) => slot.required)) {
    return `The element '${name}' in namespace '${NAMESPACE}' has incomplete content. List of possible elements expected: ${expectedElements(node.slots, position)}.`;
  }
  return undefined;
}

function nodeProblem(name: string, node: SchemaNode, value: unknown): string | undefined {
  return node.kind === 'text' ? textProblem(name, node, value) : sequenceProblem(name, node, value);
}

/**
 * What Authorize.net's schema validation (E00003) says of a `createCustomerProfileRequest` JSON
 * body, or undefined when it conforms: known elements only, in the XSD's sequence order,
 * required ones present, lengths and enumerations kept. JSON arrays are repeated elements.
 */
export function createCustomerProfileSchemaProblem(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return `Unexpected character encountered while parsing value: ${(error as Error).message}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.keys(parsed).length !== 1) {
    return 'Data at the root level is invalid. Line 1, position 1.';
  }
  const [root, value] = Object.entries(parsed)[0];
  if (root !== 'createCustomerProfileRequest') return `The element '${root}' is not declared.`;
  return sequenceProblem(root, CREATE_CUSTOMER_PROFILE_REQUEST, value);
}

interface StoredProfile {
  account: string;
  merchantCustomerId?: string;
  description?: string;
  email?: string;
  paymentProfileIds: string[];
  shippingAddressIds: string[];
}

type RequestElement = Record<string, unknown>;

function stringOrUndefined(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

function asList(value: unknown): RequestElement[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as RequestElement[];
}

/**
 * Authorize.net's `createCustomerProfileRequest` (CIM) on the JSON API, as its docs describe:
 * one endpoint, credentials in `merchantAuthentication`, HTTP 200 for every outcome with
 * `messages.resultCode` Ok/Error, and every JSON answer prefixed with a UTF-8 byte order mark.
 * The body is checked like the XSD-backed parser does (unknown, misordered or over-long
 * elements → E00003). Credentials must look real (a 1–25 character login, a 16-character
 * transaction key) or the answer is E00007. A profile matching an existing one of the same
 * account on merchantCustomerId, description and email (the older guide's rule; the current
 * reference names only the first two, so the simulator detects fewer duplicates, never more)
 * answers E00039 with the existing id in the text and no customerProfileId. There is no
 * idempotency key. JSON only (other content types → E00002); payment profiles are checked and
 * stored, but validation transactions are not run (validationDirectResponseList stays empty).
 */
export class AuthorizedotnetSimulator implements ProcessorSimulator {
  readonly name = 'authorizedotnet';
  private readonly profiles = new Map<string, StoredProfile>();
  private nextId = 1_500_000_000 + Math.floor(Math.random() * 100_000_000);

  customerCount(): number {
    return this.profiles.size;
  }

  reset(): void {
    this.profiles.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    if (request.method !== 'POST' || request.path !== ENDPOINT_PATH) {
      return { status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>404 - File or directory not found.</h1></body></html>' };
    }
    if (!/^(application|text)\/json\b/.test(String(request.headers['content-type'] ?? ''))) {
      return this.error('E00002', 'The content-type specified is not supported.');
    }
    const schemaProblem = createCustomerProfileSchemaProblem(request.body);
    if (schemaProblem) {
      const root = this.rootOf(request.body);
      return root !== undefined && root !== 'createCustomerProfileRequest'
        ? this.error('E00004', 'The name of the requested API method is invalid.')
        : this.error('E00003', schemaProblem);
    }
    const { merchantAuthentication, profile, refId } = (
      JSON.parse(request.body) as { createCustomerProfileRequest: { merchantAuthentication: RequestElement; profile: RequestElement | null; refId?: string } }
    ).createCustomerProfileRequest;
    const account = stringOrUndefined(merchantAuthentication.name);
    if (merchantAuthentication.transactionKey === undefined) {
      return this.error('E00059', 'The authentication type is not allowed for this method call.', refId);
    }
    if (!account || !/^[A-Za-z0-9]{1,25}$/.test(account) || !/^[A-Za-z0-9]{16}$/.test(String(merchantAuthentication.transactionKey))) {
      return this.error('E00007', 'User authentication failed due to invalid authentication values.', refId);
    }
    return this.create(account, profile ?? {}, refId);
  }

  private create(account: string, profile: RequestElement, refId: string | undefined): SandboxResponse {
    const merchantCustomerId = stringOrUndefined(profile.merchantCustomerId);
    const description = stringOrUndefined(profile.description);
    const email = stringOrUndefined(profile.email);
    if (!merchantCustomerId && !description && !email) {
      return this.error('E00041', 'One or more fields in the profile must contain a value.', refId);
    }
    if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return this.error('E00013', 'email is invalid.', refId);
    const paymentProfiles = asList(profile.paymentProfiles);
    if (paymentProfiles.some((paymentProfile) => paymentProfile.payment === undefined)) {
      return this.error('E00029', 'Payment information is required.', refId);
    }

    const duplicate = [...this.profiles.entries()].find(
      ([, existing]) => existing.account === account && existing.merchantCustomerId === merchantCustomerId && existing.description === description && existing.email === email,
    );
    if (duplicate) return this.error('E00039', `A duplicate record with ID ${duplicate[0]} already exists.`, refId);

    const id = this.newId();
    const stored: StoredProfile = {
      account,
      merchantCustomerId,
      description,
      email,
      paymentProfileIds: paymentProfiles.map(() => this.newId()),
      shippingAddressIds: asList(profile.shipToList).map(() => this.newId()),
    };
    this.profiles.set(id, stored);
    return this.answer({
      customerProfileId: id,
      customerPaymentProfileIdList: stored.paymentProfileIds,
      customerShippingAddressIdList: stored.shippingAddressIds,
      validationDirectResponseList: [],
      ...(refId !== undefined && { refId }),
      messages: { resultCode: 'Ok', message: [{ code: 'I00001', text: 'Successful.' }] },
    });
  }

  private rootOf(body: string): string | undefined {
    try {
      const parsed = JSON.parse(body) as unknown;
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.keys(parsed)[0] : undefined;
    } catch {
      return undefined;
    }
  }

  private newId(): string {
    this.nextId += 1 + Math.floor(Math.random() * 7);
    return String(this.nextId);
  }

  private error(code: string, text: string, refId?: string): SandboxResponse {
    return this.answer({
      customerPaymentProfileIdList: [],
      customerShippingAddressIdList: [],
      validationDirectResponseList: [],
      ...(refId !== undefined && { refId }),
      messages: { resultCode: 'Error', message: [{ code, text }] },
    });
  }

  /** Every answer is HTTP 200 JSON preceded by a byte order mark, as the real API sends it. */
  private answer(body: unknown): SandboxResponse {
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: `\ufeff${JSON.stringify(body)}` };
  }
}
