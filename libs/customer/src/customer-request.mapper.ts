import { Inject, Injectable } from '@nestjs/common';
import { registerSensitiveValues, setRequestConnector, setRequestOutcome } from '@app/common/context/request-context';
import { tenantScopeFrom, type HeaderReader } from '@app/common/context/request-headers';
import { ConnectorAccountsService } from '@app/connectors/accounts/connector-accounts.service';
import { CONNECTORS, ConnectorRegistry } from '@app/connectors/connector-registry';
import { selectConnector } from '@app/connectors/connector-selection';
import type { CreateCustomerCommand, CreateCustomerResult } from './customer.service';
import type { CreateCustomerRequestDto } from './dto/create-customer-request.dto';
import { toCustomerProfile } from './dto/customer-profile.mapper';

/** Prism `CustomerServiceCreateResponse`, in proto field names (gRPC object and REST JSON alike). */
export interface CreateCustomerResponse {
  merchant_customer_id: string;
  connector_customer_id: string;
  status_code: number;
  response_headers: Record<string, string>;
}

/** Request (body + headers) → command, and result → response; shared by both transports. */
@Injectable()
export class CustomerRequestMapper {
  constructor(
    @Inject(CONNECTORS) private readonly registry: ConnectorRegistry,
    private readonly accounts: ConnectorAccountsService,
  ) {}

  toCommand(request: CreateCustomerRequestDto, headers: HeaderReader): CreateCustomerCommand {
    const selection = selectConnector(this.registry, headers, this.accounts);
    const { credentialFields, name } = selection.connector.descriptor;
    setRequestConnector(name, selection.accountName);
    registerSensitiveValues(...credentialFields.filter((field) => field.secret).map((field) => selection.credentials[field.name]));
    return { scope: tenantScopeFrom(headers), selection, customer: toCustomerProfile(request) };
  }

  /** `merchant_customer_id` echoes the request (Prism returns the processor id there by mistake). */
  toResponse(result: CreateCustomerResult): CreateCustomerResponse {
    setRequestOutcome(result.created ? 'created' : 'replayed');
    return {
      merchant_customer_id: result.merchantCustomerId,
      connector_customer_id: result.connectorCustomerId,
      status_code: 200,
      response_headers: result.responseHeaders,
    };
  }
}
