import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { registerSensitiveValues, setRequestOutcome } from '@app/common/context/request-context';
import type { CustomerRecord, RetrievedCustomer } from '@app/connectors/connector';
import { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import { CustomerLocator, repeatedCall, type ExistingCustomerCommand } from '../existing-customer/customer-locator';

export interface GetCustomerResult {
  merchantCustomerId?: string;
  connector: string;
  customer: RetrievedCustomer;
}

/** Every personal value of a customer record: registered so no log line carries what the processor returned. */
export function personalValuesOfRecord(record: CustomerRecord): string[] {
  const addresses = [record.billingAddress, record.shippingAddress].flatMap((address) => (address ? Object.values(address) : []));
  return [record.name, record.email, record.phone, ...addresses, ...Object.values(record.metadata ?? {})].filter((value): value is string => typeof value === 'string');
}

/** Get: the customer as the processor holds it now (reads are repeated on a transient failure). */
@Injectable()
export class GetCustomer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly locator: CustomerLocator,
    private readonly executor: ConnectorExecutor,
  ) {}

  async execute(command: ExistingCustomerCommand): Promise<GetCustomerResult> {
    const { connector, call, mapping } = await this.locator.locate(command);
    const customer = await this.executor.run(connector, 'get', call, repeatedCall(this.config));
    registerSensitiveValues(...personalValuesOfRecord(customer.record));
    setRequestOutcome('ok', connector.descriptor.name);
    return { merchantCustomerId: mapping?.merchantCustomerId ?? command.merchantCustomerId, connector: connector.descriptor.name, customer };
  }
}
