import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { setRequestOutcome } from '@app/common/context/request-context';
import { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import type { CustomerMapping } from '@app/database/mappings/customer-mapping';
import { CUSTOMER_MAPPING_STORE, type CustomerMappingStore } from '@app/database/mappings/customer-mapping.store';
import { CustomerLocator, repeatedCall, type ExistingCustomerCommand, type LocatedCustomer } from '../existing-customer/customer-locator';
import { ActiveMappings } from '../mapping/active-mappings';
import { KeyedDigests } from '../mapping/keyed-digests';

export interface DeleteCustomerResult {
  merchantCustomerId?: string;
  connector: string;
  connectorCustomerId: string;
  /** The processor no longer knew the customer (deleted before, or by a retry of this call). */
  alreadyDeleted: boolean;
  httpStatus: number;
  responseHeaders: Record<string, string>;
}

/**
 * Delete: the customer deleted at the processor, then its mapping erased — it keeps no
 * merchant_customer_id in clear, and a later Create makes a new customer. A crash between the
 * two leaves the mapping active; the retry finds the customer gone and erases it.
 */
@Injectable()
export class DeleteCustomer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CUSTOMER_MAPPING_STORE) private readonly mappings: CustomerMappingStore,
    private readonly locator: CustomerLocator,
    private readonly executor: ConnectorExecutor,
    private readonly digests: KeyedDigests,
    private readonly activeMappings: ActiveMappings,
  ) {}

  async execute(command: ExistingCustomerCommand): Promise<DeleteCustomerResult> {
    return this.apply(await this.locator.locate(command));
  }

  /** The deletion of a customer already located (a request's, or a fan-out step's mapping). */
  async apply({ connector, call, mapping }: LocatedCustomer): Promise<DeleteCustomerResult> {
    const idempotencyKey = this.digests.idempotencyKey('delete', connector.descriptor.name, call.connectorCustomerId);
    const deleted = await this.executor.run(connector, 'delete', { ...call, idempotencyKey }, repeatedCall(this.config));
    if (mapping) await this.forget(mapping);
    setRequestOutcome(deleted.alreadyDeleted ? 'already_deleted' : 'deleted', connector.descriptor.name);
    return {
      merchantCustomerId: mapping?.merchantCustomerId ?? (call.merchantCustomerId || undefined),
      connector: connector.descriptor.name,
      connectorCustomerId: call.connectorCustomerId,
      alreadyDeleted: deleted.alreadyDeleted,
      httpStatus: deleted.httpStatus,
      responseHeaders: deleted.responseHeaders,
    };
  }

  /** The mapping erased here (no merchant_customer_id in clear) and out of memory: a later Create makes a new customer. */
  async forget(mapping: CustomerMapping): Promise<void> {
    await this.mappings.erase(mapping.id, this.digests.customerHash(mapping.tenantId, mapping.merchantId, mapping.merchantCustomerId));
    this.activeMappings.forget(mapping);
  }
}
