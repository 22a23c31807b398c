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
