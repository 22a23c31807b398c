import type { SandboxRequest, SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

const NAMESPACE = 'AnetApi/xml/v1/schema/AnetApiSchema.xsd';
const ENDPOINT_PATH = '/xml/v1/request.api';

interface TextNode {
  kind: 'text';
  maxLength?: number;
  minLength?: number;
  enumeration?: readonly string[];
  /** `anet:numericString`: digits only. */
  numeric?: boolean;
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
const numericString = (): TextNode => ({ kind: 'text', numeric: true });
const BOOLEAN = oneOf('true', 'false', '1', '0');
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

/** `ANetApiRequest`: what every request starts with. */
const apiRequest = (...slots: Slot[]): SequenceNode =>
  sequence(required('merchantAuthentication', MERCHANT_AUTHENTICATION), optional('clientId', text(30)), optional('refId', text(20)), ...slots);

const CUSTOMER_ADDRESS_EX = sequence(...CUSTOMER_ADDRESS.slots, optional('customerAddressId', numericString()));

/** `customerProfileBaseType`, which the create and update profile types extend. */
const CUSTOMER_PROFILE_BASE = sequence(optional('merchantCustomerId', text(20)), optional('description', text(255)), optional('email', text(255)));

const CREATE_CUSTOMER_PROFILE_REQUEST = apiRequest(
  required(
    'profile',
    sequence(
      ...CUSTOMER_PROFILE_BASE.slots,
      repeated('paymentProfiles', PAYMENT_PROFILE),
      repeated('shipToList', CUSTOMER_ADDRESS),
      optional('profileType', oneOf('regular', 'guest')),
    ),
  ),
  optional('validationMode', oneOf('none', 'testMode', 'liveMode', 'oldLiveMode')),
);

/** The CIM requests this simulator serves, as AnetApiSchema.xsd (AuthorizeNet/sdk-php) declares them. */
const REQUEST_SCHEMAS: Readonly<Record<string, SequenceNode>> = {
  createCustomerProfileRequest: CREATE_CUSTOMER_PROFILE_REQUEST,
  getCustomerProfileRequest: apiRequest(
    optional('customerProfileId', numericString()),
    optional('merchantCustomerId', text(20)),
    optional('email', text()),
    optional('unmaskExpirationDate', BOOLEAN),
    optional('includeIssuerInfo', BOOLEAN),
  ),
  updateCustomerProfileRequest: apiRequest(
    required(
      'profile',
      sequence(
        ...CUSTOMER_PROFILE_BASE.slots,
        optional('customerProfileId', numericString()),
        optional('profileType', oneOf('regular', 'guest')),
      ),
    ),
  ),
  deleteCustomerProfileRequest: apiRequest(required('customerProfileId', numericString())),
  createCustomerShippingAddressRequest: apiRequest(
    required('customerProfileId', numericString()),
    required('address', CUSTOMER_ADDRESS),
    optional('defaultShippingAddress', BOOLEAN),
  ),
  updateCustomerShippingAddressRequest: apiRequest(
    required('customerProfileId', numericString()),
    required('address', CUSTOMER_ADDRESS_EX),
    optional('defaultShippingAddress', BOOLEAN),
  ),
};

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
  if (node.numeric && !/^[0-9]+$/.test(content)) return invalid("The Pattern constraint failed.");
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

const ROOT_LEVEL_INVALID = 'Data at the root level is invalid. Line 1, position 1.';

/**
 * The one root element of a JSON body and its content, or why the body has none; `firstKey` names
 * the first of several root elements, which is what the API reads the method from.
 */
function parsedRoot(body: string): { root: string; value: unknown } | { problem: string; firstKey?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return { problem: `Unexpected character encountered while parsing value: ${(error as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: ROOT_LEVEL_INVALID };
  const entries = Object.entries(parsed);
  if (entries.length !== 1) return { problem: ROOT_LEVEL_INVALID, firstKey: entries[0]?.[0] };
  const [[root, value]] = entries;
  return { root, value };
}

function requestSchemaProblem(body: string, schemas: Readonly<Record<string, SequenceNode>>): string | undefined {
  const parsed = parsedRoot(body);
  if ('problem' in parsed) return parsed.problem;
  const schema = Object.hasOwn(schemas, parsed.root) ? schemas[parsed.root] : undefined;
  if (!schema) return `The element '${parsed.root}' is not declared.`;
  return sequenceProblem(parsed.root, schema, parsed.value);
}

/**
 * What Authorize.net's schema validation (E00003) says of a `createCustomerProfileRequest` JSON
 * body, or undefined when it conforms: known elements only, in the XSD's sequence order,
 * required ones present, lengths and enumerations kept. JSON arrays are repeated elements.
 */
export function createCustomerProfileSchemaProblem(body: string): string | undefined {
  return requestSchemaProblem(body, { createCustomerProfileRequest: CREATE_CUSTOMER_PROFILE_REQUEST });
}

/** The same check for any CIM request this simulator serves (create, get, update, delete a profile; create, update its shipping address). */
export function authorizedotnetRequestSchemaProblem(body: string): string | undefined {
  return requestSchemaProblem(body, REQUEST_SCHEMAS);
}

interface StoredAddress {
  id: string;
  address: RequestElement;
}

interface StoredProfile {
  account: string;
  merchantCustomerId?: string;
  description?: string;
  email?: string;
  profileType: string;
  paymentProfileIds: string[];
  shipTo: StoredAddress[];
}

type RequestElement = Record<string, unknown>;

/** `customerAddressType` elements in schema order, for answers. */
const ADDRESS_ELEMENTS = ['firstName', 'lastName', 'company', 'address', 'city', 'state', 'zip', 'country', 'phoneNumber', 'faxNumber', 'email'] as const;

const NOT_FOUND = ['E00040', 'The record cannot be found.'] as const;

function stringOrUndefined(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

function asList(value: unknown): RequestElement[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as RequestElement[];
}

function addressOf(element: RequestElement): RequestElement {
  const address: RequestElement = {};
  for (const name of ADDRESS_ELEMENTS) {
    const value = stringOrUndefined(element[name]);
    if (value !== undefined) address[name] = value;
  }
  return address;
}

const isEmail = (value: string) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);

type ProfileFields = Pick<StoredProfile, 'merchantCustomerId' | 'description' | 'email'>;

/** What a create or update carries of a profile's own fields, or the refusal they earn (E00041, E00013). */
function profileFieldsOf(profile: RequestElement): { fields: ProfileFields } | { refusal: readonly [code: string, text: string] } {
  const fields = { merchantCustomerId: stringOrUndefined(profile.merchantCustomerId), description: stringOrUndefined(profile.description), email: stringOrUndefined(profile.email) };
  if (!fields.merchantCustomerId && !fields.description && !fields.email) return { refusal: ['E00041', 'One or more fields in the profile must contain a value.'] };
  if (fields.email && !isEmail(fields.email)) return { refusal: ['E00013', 'email is invalid.'] };
  return { fields };
}

/**
 * Authorize.net's Customer Information Manager on the JSON API, as its docs and AnetApiSchema.xsd
 * describe it: one endpoint, credentials in `merchantAuthentication`, HTTP 200 for every outcome
 * with `messages.resultCode` Ok/Error, and every JSON answer prefixed with a UTF-8 byte order mark.
 * Served: create, get (by customerProfileId, or by merchantCustomerId and/or email), update and
 * delete a profile; create and update a shipping address. Bodies are checked like the XSD-backed
 * parser does (unknown, misordered or over-long elements → E00003); another API method is E00004.
 * Credentials must look real (a 1–25 character login, a 16-character transaction key) or the
 * answer is E00007. A new profile matching an existing one of the same account on
 * merchantCustomerId, description and email all three (the older guide's rule; the current
 * reference names only the first two, so the simulator detects fewer duplicates, never more)
 * answers E00039 with the existing id in the text and no customerProfileId: a retry with other
 * details creates a second profile, as Authorize.net does. An update replaces the profile's
 * merchantCustomerId, description and email with what it carries (an element left out is
 * cleared), and a shipping address update replaces the whole address. An id the account does not
 * hold is E00040. There is no idempotency key. JSON only (other content types → E00002); payment
 * profiles are checked and stored, but validation transactions are not run.
 */
export class AuthorizedotnetSimulator implements ProcessorSimulator {
  readonly name = 'authorizedotnet';
  private readonly profiles = new Map<string, StoredProfile>();
  private nextId = 1_500_000_000 + Math.floor(Math.random() * 100_000_000);

  customerCount(): number {
    return this.profiles.size;
  }

  /** The ids of the profiles an account holds under this merchantCustomerId (duplicates included). */
  profileIdsFor(account: string, merchantCustomerId: string): string[] {
    return [...this.profiles.entries()].filter(([, p]) => p.account === account && p.merchantCustomerId === merchantCustomerId).map(([id]) => id);
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
    // One parse: the method is read from the first root element before the schema is checked.
    const parsed = parsedRoot(request.body);
    const method = 'problem' in parsed ? parsed.firstKey : parsed.root;
    if (method !== undefined && !Object.hasOwn(REQUEST_SCHEMAS, method)) return this.error('E00004', 'The name of the requested API method is invalid.');
    if ('problem' in parsed) return this.error('E00003', parsed.problem);
    const { root } = parsed;
    const schemaProblem = sequenceProblem(root, REQUEST_SCHEMAS[root], parsed.value);
    if (schemaProblem) return this.error('E00003', schemaProblem);

    const content = parsed.value as RequestElement;
    const merchantAuthentication = content.merchantAuthentication as RequestElement;
    const refId = stringOrUndefined(content.refId);
    const account = stringOrUndefined(merchantAuthentication.name);
    if (merchantAuthentication.transactionKey === undefined) {
      return this.error('E00059', 'The authentication type is not allowed for this method call.', refId, root);
    }
    if (!account || !/^[A-Za-z0-9]{1,25}$/.test(account) || !/^[A-Za-z0-9]{16}$/.test(String(merchantAuthentication.transactionKey))) {
      return this.error('E00007', 'User authentication failed due to invalid authentication values.', refId, root);
    }
    switch (root) {
      case 'getCustomerProfileRequest':
        return this.get(account, content, refId);
      case 'updateCustomerProfileRequest':
        return this.update(account, (content.profile ?? {}) as RequestElement, refId);
      case 'deleteCustomerProfileRequest':
        return this.delete(account, String(content.customerProfileId), refId);
      case 'createCustomerShippingAddressRequest':
        return this.createShippingAddress(account, String(content.customerProfileId), (content.address ?? {}) as RequestElement, refId);
      case 'updateCustomerShippingAddressRequest':
        return this.updateShippingAddress(account, String(content.customerProfileId), (content.address ?? {}) as RequestElement, refId);
      default:
        return this.create(account, (content.profile ?? {}) as RequestElement, refId);
    }
  }

  private create(account: string, profile: RequestElement, refId: string | undefined): SandboxResponse {
    const checked = profileFieldsOf(profile);
    if ('refusal' in checked) return this.error(...checked.refusal, refId);
    const { merchantCustomerId, description, email } = checked.fields;
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
      profileType: stringOrUndefined(profile.profileType) ?? 'regular',
      paymentProfileIds: paymentProfiles.map(() => this.newId()),
      shipTo: asList(profile.shipToList).map((address) => ({ id: this.newId(), address: addressOf(address) })),
    };
    this.profiles.set(id, stored);
    return this.ok(
      {
        customerProfileId: id,
        customerPaymentProfileIdList: stored.paymentProfileIds,
        customerShippingAddressIdList: stored.shipTo.map((address) => address.id),
        validationDirectResponseList: [],
      },
      refId,
    );
  }

  /** By customerProfileId, else the first profile matching every given merchantCustomerId and email. */
  private get(account: string, request: RequestElement, refId: string | undefined): SandboxResponse {
    const profileId = stringOrUndefined(request.customerProfileId);
    const merchantCustomerId = stringOrUndefined(request.merchantCustomerId);
    const email = stringOrUndefined(request.email);
    let found: [string, StoredProfile] | undefined;
    if (profileId !== undefined) {
      const profile = this.profileOf(account, profileId);
      found = profile && [profileId, profile];
    } else if (merchantCustomerId !== undefined || email !== undefined) {
      found = [...this.profiles.entries()].find(
        ([, p]) => p.account === account && (merchantCustomerId === undefined || p.merchantCustomerId === merchantCustomerId) && (email === undefined || p.email === email),
      );
    }
    if (!found) return this.notFound(refId);
    const [id, profile] = found;
    return this.ok(
      {
        profile: {
          ...(profile.merchantCustomerId !== undefined && { merchantCustomerId: profile.merchantCustomerId }),
          ...(profile.description !== undefined && { description: profile.description }),
          ...(profile.email !== undefined && { email: profile.email }),
          customerProfileId: id,
          ...(profile.shipTo.length > 0 && { shipToList: profile.shipTo.map(({ id: customerAddressId, address }) => ({ ...address, customerAddressId })) }),
          profileType: profile.profileType,
        },
      },
      refId,
    );
  }

  private update(account: string, profile: RequestElement, refId: string | undefined): SandboxResponse {
    const id = stringOrUndefined(profile.customerProfileId);
    const stored = id === undefined ? undefined : this.profileOf(account, id);
    if (!stored) return this.notFound(refId);
    const checked = profileFieldsOf(profile);
    if ('refusal' in checked) return this.error(...checked.refusal, refId, 'other');
    Object.assign(stored, { ...checked.fields, profileType: stringOrUndefined(profile.profileType) ?? stored.profileType });
    return this.ok({}, refId);
  }

  private delete(account: string, id: string, refId: string | undefined): SandboxResponse {
    if (!this.profileOf(account, id)) return this.notFound(refId);
    this.profiles.delete(id);
    return this.ok({}, refId);
  }

  private createShippingAddress(account: string, profileId: string, address: RequestElement, refId: string | undefined): SandboxResponse {
    const stored = this.profileOf(account, profileId);
    if (!stored) return this.notFound(refId);
    const customerAddressId = this.newId();
    stored.shipTo.push({ id: customerAddressId, address: addressOf(address) });
    return this.ok({ customerProfileId: profileId, customerAddressId }, refId);
  }

  private updateShippingAddress(account: string, profileId: string, address: RequestElement, refId: string | undefined): SandboxResponse {
    const entry = this.profileOf(account, profileId)?.shipTo.find(({ id }) => id === stringOrUndefined(address.customerAddressId));
    if (!entry) return this.notFound(refId);
    entry.address = addressOf(address);
    return this.ok({}, refId);
  }

  /** A profile of this account: another account's id is not found, as Authorize.net keeps accounts apart. */
  private profileOf(account: string, id: string): StoredProfile | undefined {
    const profile = this.profiles.get(id);
    return profile?.account === account ? profile : undefined;
  }

  private newId(): string {
    this.nextId += 1 + Math.floor(Math.random() * 7);
    return String(this.nextId);
  }

  private ok(body: Record<string, unknown>, refId: string | undefined): SandboxResponse {
    return this.answer({ ...body, ...(refId !== undefined && { refId }), messages: { resultCode: 'Ok', message: [{ code: 'I00001', text: 'Successful.' }] } });
  }

  /** A refusal; the create answer carries its (empty) id lists even then. */
  private error(code: string, text: string, refId?: string, root = 'createCustomerProfileRequest'): SandboxResponse {
    return this.answer({
      ...(root === 'createCustomerProfileRequest' && { customerPaymentProfileIdList: [], customerShippingAddressIdList: [], validationDirectResponseList: [] }),
      ...(refId !== undefined && { refId }),
      messages: { resultCode: 'Error', message: [{ code, text }] },
    });
  }

  private notFound(refId: string | undefined): SandboxResponse {
    return this.error(...NOT_FOUND, refId, 'other');
  }

  /** Every answer is HTTP 200 JSON preceded by a byte order mark, as the real API sends it. */
  private answer(body: unknown): SandboxResponse {
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: `\ufeff${JSON.stringify(body)}` };
  }
}
