import type { TenantScope } from '@app/common/context/request-headers';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import type { CreateCustomerCommand, CreateCustomerResult } from './create-customer/create-customer.use-case';
import type { CreateCustomerRequestDto } from './dto/create-customer-request.dto';
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
