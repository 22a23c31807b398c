import { customerEmail, customerPhone, personName, type Sourced } from '@app/common/domain/customer-fields';
import { CUSTOMER_FIELD_PATHS, fullName, type CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '../connector';

/**
 * Customer limits from Braintree's validation errors (81608 first name, 81613 last name, 81605
 * email, 81614 phone: 255 characters each). Company (81601), fax and website share the limit but
 * our request has no source for them.
 */
export const BRAINTREE_LIMITS = {
  firstName: 255,
  lastName: 255,
  email: 255,
  phoneNumber: 255,
} as const;

/** Selects only what we read: the GraphQL id, the legacy (SDK) id, and our echoed reference. */
export const BRAINTREE_CREATE_CUSTOMER_MUTATION =
  'mutation CreateCustomer($input: CreateCustomerInput) { createCustomer(input: $input) { clientMutationId customer { id legacyId } } }';

/** The `CustomerInput` fields we can fill (schema.graphql, braintree/graphql-api, 2025-02-12). */
export interface BraintreeCustomerInput {
  firstName?: string;
  lastName?: string;
  email?: string;
  phoneNumber?: string;
}

export interface BraintreeCreateCustomerRequest {
  query: string;
  variables: { input: { clientMutationId: string; customer: BraintreeCustomerInput } };
}

export interface BraintreeGraphQLError {
  message?: string;
  extensions?: {
    errorClass?: string;
    /** Braintree's numeric validation code (`81604`), as a string. */
    legacyCode?: string;
    /** Where in the variables the error is, e.g. `["input", "customer", "email"]`. */
    inputPath?: string[];
  };
}

export interface BraintreeCreateCustomerResponse {
  data?: { createCustomer?: { customer?: { id?: unknown; legacyId?: unknown } | null } | null } | null;
  errors?: unknown;
}

export interface BraintreeCustomer {
  id: string;
  legacyId?: string;
}

type CustomerInputSources = Record<keyof BraintreeCustomerInput, Sourced>;

/**
 * Braintree keeps first and last name apart: `customer_name` goes whole into `firstName` unless
 * the billing names spell exactly the same name, in which case they give the split.
 */
function customerInputSources(customer: CustomerProfile): CustomerInputSources {
  const { firstName, lastName } = personName(customer, { splitCustomerName: false });
  return { firstName, lastName, email: customerEmail(customer), phoneNumber: customerPhone(customer) };
}

/**
 * Our customer → Braintree's `CustomerInput`. `CustomerInput` holds no address (Braintree vaults
 * addresses separately) and no metadata map (custom fields must first be created in the Control
 * Panel), so neither is sent; email and phone fall back to the billing address's.
 */
export function toBraintreeCustomerInput(customer: CustomerProfile): BraintreeCustomerInput {
  const sources = customerInputSources(customer);
  return {
    firstName: sources.firstName.value,
    lastName: sources.lastName.value,
    email: sources.email.value,
    phoneNumber: sources.phoneNumber.value,
  };
}

export function toBraintreeCreateCustomerRequest(customer: CustomerProfile, clientMutationId: string): BraintreeCreateCustomerRequest {
  return {
    query: BRAINTREE_CREATE_CUSTOMER_MUTATION,
    variables: { input: { clientMutationId, customer: toBraintreeCustomerInput(customer) } },
  };
}

/** Braintree counts characters, not UTF-16 units: an emoji is one. */
function characterCount(value: string): number {
  return [...value].length;
}

/** Braintree's limits, checked on the values we would send, reported on the merchant's fields. */
export function validateForBraintree(customer: CustomerProfile): FieldViolation[] {
  const sources = customerInputSources(customer);
  const violations: FieldViolation[] = [];
  for (const name of Object.keys(BRAINTREE_LIMITS) as (keyof typeof BRAINTREE_LIMITS)[]) {
    const { value, field } = sources[name];
    const max = BRAINTREE_LIMITS[name];
    if (value !== undefined && characterCount(value) > max) {
      violations.push({ field, description: `Braintree accepts at most ${max} characters for ${name} (got ${characterCount(value)})` });
    }
  }
  return violations;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `data.createCustomer.customer` when it carries a usable id. */
export function createdBraintreeCustomer(body: unknown): BraintreeCustomer | undefined {
  const customer = (body as BraintreeCreateCustomerResponse | undefined)?.data?.createCustomer?.customer;
  if (!isObject(customer) || typeof customer.id !== 'string' || customer.id === '') return undefined;
  return { id: customer.id, legacyId: typeof customer.legacyId === 'string' && customer.legacyId !== '' ? customer.legacyId : undefined };
}

function toGraphQLError(error: Record<string, unknown>): BraintreeGraphQLError {
  const extensions = isObject(error.extensions) ? error.extensions : {};
  const { errorClass, legacyCode, inputPath } = extensions;
  return {
    message: typeof error.message === 'string' ? error.message : undefined,
    extensions: {
      errorClass: typeof errorClass === 'string' ? errorClass : undefined,
      legacyCode: typeof legacyCode === 'string' || typeof legacyCode === 'number' ? String(legacyCode) : undefined,
      inputPath: Array.isArray(inputPath) ? inputPath.map(String) : undefined,
    },
  };
}

/** The GraphQL `errors` entries, read defensively; empty when the body has none. */
export function braintreeErrors(body: unknown): BraintreeGraphQLError[] {
  const errors = isObject(body) ? body.errors : undefined;
  return Array.isArray(errors) ? errors.filter(isObject).map(toGraphQLError) : [];
}

/** The customer fields we read back (get, update): `Customer` at schema revision 2025-02-12. */
const CUSTOMER_SELECTION = 'id legacyId email firstName lastName phoneNumber company';

/** `node(id:)` with a Customer fragment: Braintree's way to fetch one object by its global id. */
export const BRAINTREE_GET_CUSTOMER_QUERY = `query Customer($id: ID!) { node(id: $id) { ... on Customer { ${CUSTOMER_SELECTION} } } }`;

export const BRAINTREE_UPDATE_CUSTOMER_MUTATION = `mutation UpdateCustomer($input: UpdateCustomerInput!) { updateCustomer(input: $input) { clientMutationId customer { ${CUSTOMER_SELECTION} } } }`;

export const BRAINTREE_DELETE_CUSTOMER_MUTATION = 'mutation DeleteCustomer($input: DeleteCustomerInput!) { deleteCustomer(input: $input) { clientMutationId } }';

/** The merchant the API key belongs to: `viewer.merchant.id`. */
export const BRAINTREE_VIEWER_QUERY = 'query Viewer { viewer { merchant { id } } }';

/** `CustomerInput` on update: an omitted field is kept, null clears it (schema.graphql, CustomerInput). */
export type BraintreeCustomerUpdate = { [K in keyof BraintreeCustomerInput]?: string | null };

export interface BraintreeUpdateCustomerRequest {
  query: string;
  variables: { input: { clientMutationId: string; customerId: string; customer: BraintreeCustomerUpdate } };
}

export interface BraintreeDeleteCustomerRequest {
  query: string;
  variables: { input: { clientMutationId: string; customerId: string } };
}

/** The customer as `node` or `updateCustomer` returns it (only what we select). */
export interface BraintreeCustomerRecord extends BraintreeCustomer {
  email?: string;
  firstName?: string;
  lastName?: string;
  phoneNumber?: string;
  company?: string;
}

/**
 * Only what the change names. A name given as customer_name travels whole in firstName (as on
 * create), so the lastName an earlier split left is cleared rather than appended to the new name.
 */
export function toBraintreeCustomerUpdate(customer: CustomerProfile): BraintreeCustomerUpdate {
  const sources = customerInputSources(customer);
  const update: BraintreeCustomerUpdate = {};
  for (const name of Object.keys(sources) as (keyof BraintreeCustomerInput)[]) {
    if (sources[name].value !== undefined) update[name] = sources[name].value;
  }
  if (sources.firstName.field === CUSTOMER_FIELD_PATHS.name && sources.firstName.value !== undefined && sources.lastName.value === undefined) update.lastName = null;
  return update;
}

export function toBraintreeUpdateCustomerRequest(customerId: string, customer: CustomerProfile, clientMutationId: string): BraintreeUpdateCustomerRequest {
  return { query: BRAINTREE_UPDATE_CUSTOMER_MUTATION, variables: { input: { clientMutationId, customerId, customer: toBraintreeCustomerUpdate(customer) } } };
}

export function toBraintreeDeleteCustomerRequest(customerId: string, clientMutationId: string): BraintreeDeleteCustomerRequest {
  return { query: BRAINTREE_DELETE_CUSTOMER_MUTATION, variables: { input: { clientMutationId, customerId } } };
}

const optionalText = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function customerRecordOf(value: unknown): BraintreeCustomerRecord | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || value.id === '') return undefined;
  return {
    id: value.id,
    legacyId: optionalText(value.legacyId),
    email: optionalText(value.email),
    firstName: optionalText(value.firstName),
    lastName: optionalText(value.lastName),
    phoneNumber: optionalText(value.phoneNumber),
    company: optionalText(value.company),
  };
}

/** `data.node` when it is a customer (the Customer fragment selected its id). */
export function retrievedBraintreeCustomer(body: unknown): BraintreeCustomerRecord | undefined {
  return customerRecordOf(isObject(body) && isObject(body.data) ? body.data.node : undefined);
}

/** `data.updateCustomer.customer`. */
export function updatedBraintreeCustomer(body: unknown): BraintreeCustomerRecord | undefined {
  const payload = isObject(body) && isObject(body.data) ? body.data.updateCustomer : undefined;
  return customerRecordOf(isObject(payload) ? payload.customer : undefined);
}

/** Whether `data.deleteCustomer` came back (its payload holds only the clientMutationId). */
export function deletedBraintreeCustomer(body: unknown): boolean {
  return isObject(body) && isObject(body.data) && isObject(body.data.deleteCustomer);
}

/** `data.viewer.merchant.id`. */
export function braintreeMerchantId(body: unknown): string | undefined {
  const viewer = isObject(body) && isObject(body.data) ? body.data.viewer : undefined;
  const merchant = isObject(viewer) ? viewer.merchant : undefined;
  return isObject(merchant) ? optionalText(merchant.id) : undefined;
}

/** What Braintree holds of the customer, in our terms: first and last name make the name. */
export function braintreeRecord(customer: BraintreeCustomerRecord): CustomerRecord {
  const name = fullName(customer.firstName, customer.lastName);
  return {
    ...(name !== undefined && { name }),
    ...(customer.email !== undefined && { email: customer.email }),
    ...(customer.phoneNumber !== undefined && { phone: customer.phoneNumber }),
  };
}
