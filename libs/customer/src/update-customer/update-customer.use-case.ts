import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { registerSensitiveValues, setRequestOutcome } from '@app/common/context/request-context';
import { personalValuesOf, type CustomerProfile } from '@app/common/domain/customer-profile';
import { DomainError } from '@app/common/errors/domain-error';
import type { Connector, CustomerRecord } from '@app/connectors/connector';
import { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import { CUSTOMER_MAPPING_STORE, type CustomerMappingStore } from '@app/database/mappings/customer-mapping.store';
import { CustomerLocator, repeatedCall, type ExistingCustomerCommand, type LocatedCustomer } from '../existing-customer/customer-locator';
import { ActiveMappings } from '../mapping/active-mappings';
import { fingerprintCovers, KeyedDigests, mergeFingerprints } from '../mapping/keyed-digests';

export interface UpdateCustomerCommand extends ExistingCustomerCommand {
  /** Only what changes: undefined fields and metadata keys not given stay as they are. */
  change: CustomerProfile;
}

export interface UpdateCustomerResult {
  merchantCustomerId?: string;
  connector: string;
  connectorCustomerId: string;
  /** False when what the change sets is what was last sent: the processor was not called. */
  changed: boolean;
  httpStatus: number;
  responseHeaders: Record<string, string>;
  record?: CustomerRecord;
}

/**
 * Update: the change sent to the processor, only what it names. Skipped when the mapping's
 * fingerprint shows the processor already holds it; otherwise sent with a key derived from the
 * mapping and the change (a retry replays where the processor keeps keys) and the fingerprint
 * merged afterwards — compare-and-set: a concurrent update leaves it unknown rather than wrong.
 */
@Injectable()
export class UpdateCustomer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CUSTOMER_MAPPING_STORE) private readonly mappings: CustomerMappingStore,
    private readonly locator: CustomerLocator,
    private readonly executor: ConnectorExecutor,
    private readonly digests: KeyedDigests,
    private readonly activeMappings: ActiveMappings,
  ) {}

  async execute(command: UpdateCustomerCommand): Promise<UpdateCustomerResult> {
    registerSensitiveValues(...personalValuesOf(command.change));
    // Refused over the processor's limits before anything, the processor's who-am-I included.
    this.refuseOverLimits(command.selection.connector, { ...command.change, merchantCustomerId: command.merchantCustomerId ?? '' });
    return this.apply(await this.locator.locate(command), command.change);
  }

  private refuseOverLimits(connector: Connector, change: CustomerProfile): void {
    const violations = this.executor.validate(connector, 'update', change);
    if (violations.length > 0) throw DomainError.validation(violations);
  }

  /** The change, applied to a customer already located (a request's, or a fan-out step's mapping). */
  async apply({ connector, call, mapping }: LocatedCustomer, requested: CustomerProfile): Promise<UpdateCustomerResult> {
    const change = { ...requested, merchantCustomerId: call.merchantCustomerId };
    this.refuseOverLimits(connector, change);
    const changeFingerprint = this.digests.profileFingerprint(change);
    const base = { merchantCustomerId: mapping?.merchantCustomerId ?? (call.merchantCustomerId || undefined), connector: connector.descriptor.name, connectorCustomerId: call.connectorCustomerId };
    if (mapping?.profileFingerprint && fingerprintCovers(mapping.profileFingerprint, changeFingerprint)) {
      setRequestOutcome('unchanged', connector.descriptor.name);
      return { ...base, changed: false, httpStatus: 200, responseHeaders: {} };
    }

    const idempotencyKey = this.digests.idempotencyKey('update', connector.descriptor.name, call.connectorCustomerId, changeFingerprint);
    const updated = await this.executor.run(connector, 'update', { ...call, customer: change, idempotencyKey }, repeatedCall(this.config));
    if (updated.record) registerSensitiveValues(...personalValuesOf(updated.record));
    if (mapping) {
      const merged = mapping.profileFingerprint ? mergeFingerprints(mapping.profileFingerprint, changeFingerprint) : null;
      await this.mappings.recordFingerprint(mapping.id, merged, mapping.profileFingerprint);
      this.activeMappings.forget(mapping);
    }
    setRequestOutcome('updated', connector.descriptor.name);
    return { ...base, changed: true, httpStatus: updated.httpStatus, responseHeaders: updated.responseHeaders, record: updated.record };
  }
}
