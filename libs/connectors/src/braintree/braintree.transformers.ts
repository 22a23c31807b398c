import { customerEmail, customerPhone, personName, type Sourced } from '@app/common/domain/customer-fields';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';

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
