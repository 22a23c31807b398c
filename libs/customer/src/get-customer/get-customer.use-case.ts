import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { registerSensitiveValues, setRequestOutcome } from '@app/common/context/request-context';
import { personalValuesOf } from '@app/common/domain/customer-profile';
import type { RetrievedCustomer } from '@app/connectors/connector';
import { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import { CustomerLocator, repeatedCall, type ExistingCustomerCommand } from '../existing-customer/customer-locator';

export interface GetCustomerResult {
  merchantCustomerId?: string;
  connector: string;
  customer: RetrievedCustomer;
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
    registerSensitiveValues(...personalValuesOf(customer.record));
    setRequestOutcome('ok', connector.descriptor.name);
    return { merchantCustomerId: mapping?.merchantCustomerId ?? command.merchantCustomerId, connector: connector.descriptor.name, customer };
  }
}
