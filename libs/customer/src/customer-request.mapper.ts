import type { TenantScope } from '@app/common/context/request-headers';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import { DomainError } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '@app/connectors/connector';
import type { CreateCustomerCommand, CreateCustomerResult } from './create-customer/create-customer.use-case';
import type { DeleteCustomerResult } from './delete-customer/delete-customer.use-case';
import type { CreateCustomerRequestDto, UpdateCustomerRequestDto } from './dto/create-customer-request.dto';
import type { ExistingCustomerCommand } from './existing-customer/customer-locator';
import type { GetCustomerResult } from './get-customer/get-customer.use-case';
import type { UpdateCustomerCommand, UpdateCustomerResult } from './update-customer/update-customer.use-case';
import { toCustomerProfile } from './dto/customer-profile.mapper';

/** Prism `CustomerServiceCreateResponse`, in proto field names (gRPC object and REST JSON alike). */
export interface CreateCustomerResponse {
  merchant_customer_id: string;
  connector_customer_id: string;
  status_code: number;
  response_headers: Record<string, string>;
}

/** Our REST route's answer: Prism's, and what a replay or a re-creation after an erase has to say. */
export interface CreateCustomerRestResponse extends CreateCustomerResponse {
  /** A replay whose details differ from those last sent to the processor (the stored customer is returned unchanged). */
  profile_differs: boolean;
  /** Set when this call created a new customer because an earlier one of this merchant customer id was erased. */
  previously_erased_at?: string;
}

/** Response headers (HTTP) and metadata (gRPC) saying how a Create ended. */
export function createOutcomeHeaders(result: CreateCustomerResult): Record<string, string> {
  return {
    'x-idempotent-replayed': String(!result.created),
    'x-profile-differs': String(result.profileDiffers),
    ...(result.previouslyErasedAt && { 'x-previously-erased-at': result.previouslyErasedAt.toISOString() }),
  };
}

/** The validated request, its scope and its one selection as the Create command. */
export function toCreateCustomerCommand(request: CreateCustomerRequestDto, scope: TenantScope, [selection]: readonly ConnectorSelection[]): CreateCustomerCommand {
  return { scope, selection, customer: toCustomerProfile(request) };
}

/** `merchant_customer_id` echoes the request (Prism returns the processor id there by mistake). */
export function toCreateCustomerResponse(result: CreateCustomerResult): CreateCustomerResponse {
  return {
    merchant_customer_id: result.merchantCustomerId,
    connector_customer_id: result.connectorCustomerId,
    status_code: 200,
    response_headers: result.responseHeaders,
  };
}

export function toCreateCustomerRestResponse(result: CreateCustomerResult): CreateCustomerRestResponse {
  return {
    ...toCreateCustomerResponse(result),
    profile_differs: result.profileDiffers,
    ...(result.previouslyErasedAt && { previously_erased_at: result.previouslyErasedAt.toISOString() }),
  };
}

/** Prism `Customer`, in proto field names (a SecretString as `{ value }`). */
export interface CustomerMessage {
  name?: string;
  email?: { value: string };
  id?: string;
  connector_customer_id?: string;
  phone_number?: string;
  phone_country_code?: string;
}

/** Prism `CustomerServiceGetResponse` / `CustomerServiceUpdateResponse`. */
export interface CustomerAnswer {
  customer: CustomerMessage;
  status_code: number;
  response_headers: Record<string, string>;
  merchant_customer_id?: string;
}

/** Prism `CustomerServiceDeleteResponse`. */
export interface DeleteCustomerAnswer {
  status_code: number;
  response_headers: Record<string, string>;
  merchant_customer_id?: string;
}

/** A Get, Update or Delete request as the command its use case takes (the merchant's id from the REST path wins over none in the body). */
export function toExistingCustomerCommand(
  request: { merchant_customer_id?: string; connector_customer_id?: string },
  scope: TenantScope,
  [selection]: readonly ConnectorSelection[],
  pathMerchantCustomerId?: string,
): ExistingCustomerCommand {
  if (pathMerchantCustomerId !== undefined && request.merchant_customer_id !== undefined && request.merchant_customer_id !== pathMerchantCustomerId) {
    throw DomainError.invalidField('merchant_customer_id', 'must match the merchant customer id in the path');
  }
  return { scope, selection, merchantCustomerId: pathMerchantCustomerId ?? request.merchant_customer_id, connectorCustomerId: request.connector_customer_id || undefined };
}

export function toUpdateCustomerCommand(request: UpdateCustomerRequestDto, scope: TenantScope, selections: readonly ConnectorSelection[], pathMerchantCustomerId?: string): UpdateCustomerCommand {
  return { ...toExistingCustomerCommand(request, scope, selections, pathMerchantCustomerId), change: toCustomerProfile(request) };
}

function customerMessage(merchantCustomerId: string | undefined, connectorCustomerId: string, record: CustomerRecord | undefined): CustomerMessage {
  return {
    ...(record?.name !== undefined && { name: record.name }),
    ...(record?.email !== undefined && { email: { value: record.email } }),
    ...(merchantCustomerId !== undefined && { id: merchantCustomerId }),
    connector_customer_id: connectorCustomerId,
    ...(record?.phone !== undefined && { phone_number: record.phone }),
    ...(record?.phoneCountryCode !== undefined && { phone_country_code: record.phoneCountryCode }),
  };
}

export function toGetCustomerResponse(result: GetCustomerResult): CustomerAnswer {
  return {
    customer: customerMessage(result.merchantCustomerId, result.customer.connectorCustomerId, result.customer.record),
    status_code: 200,
    response_headers: result.customer.responseHeaders,
    ...(result.merchantCustomerId !== undefined && { merchant_customer_id: result.merchantCustomerId }),
  };
}

export function toUpdateCustomerResponse(result: UpdateCustomerResult): CustomerAnswer {
  return {
    customer: customerMessage(result.merchantCustomerId, result.connectorCustomerId, result.record),
    status_code: 200,
    response_headers: result.responseHeaders,
    ...(result.merchantCustomerId !== undefined && { merchant_customer_id: result.merchantCustomerId }),
  };
}

export function toDeleteCustomerResponse(result: DeleteCustomerResult): DeleteCustomerAnswer {
  return { status_code: 200, response_headers: result.responseHeaders, ...(result.merchantCustomerId !== undefined && { merchant_customer_id: result.merchantCustomerId }) };
}

/** Response headers (HTTP) and metadata (gRPC) saying how an Update or Delete ended. */
export function updateOutcomeHeaders(result: UpdateCustomerResult): Record<string, string> {
  return { 'x-profile-unchanged': String(!result.changed) };
}

export function deleteOutcomeHeaders(result: DeleteCustomerResult): Record<string, string> {
  return { 'x-already-deleted': String(result.alreadyDeleted) };
}
