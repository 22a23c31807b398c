import { Inject, Injectable } from '@nestjs/common';
import { registerSensitiveValues, setRequestConnector, setRequestOutcome } from '@app/common/context/request-context';
import { personalValuesOf, type CustomerProfile } from '@app/common/domain/customer-profile';
import { DomainError } from '@app/common/errors/domain-error';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { BaseUrlPolicy } from '@app/connectors/base-url-policy';
import type { Connector, ConnectorCustomer, CreateCustomerCall } from '@app/connectors/connector';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import type { CustomerMapping, MappingKey } from '@app/database/mappings/customer-mapping';
import { ActiveMappingCache, type ActiveMapping } from '../mapping/active-mapping-cache';
import { MappingScopeService } from '../mapping/mapping-scope.service';
import { ReservationProtocol, type HeldReservation } from '../reservation/reservation-protocol';
import { UnansweredAttempt } from './unanswered-attempt';

export interface CreateCustomerCommand {
  scope: { tenantId: string; merchantId: string };
  selection: ConnectorSelection;
  customer: CustomerProfile;
}

export interface CreateCustomerResult {
  mappingId: string;
  merchantCustomerId: string;
  connector: string;
  connectorCustomerId: string;
  /** False when the mapping existed (or another request created it while this one waited). */
  created: boolean;
  responseHeaders: Record<string, string>;
}

/** Active mappings kept in memory: a replay then costs no database round trip. */
const ACTIVE_MAPPING_CACHE_SIZE = 10_000;

const mappingKeyString = (key: MappingKey) => [key.tenantId, key.merchantId, key.connector, key.connectorAccount, key.merchantCustomerId].join('\0');

interface PreparedCreate {
  key: MappingKey;
  connector: Connector;
  /** The processor call, short of the reservation's idempotency key. */
  call: Omit<CreateCustomerCall, 'idempotencyKey'>;
}

/**
 * Create: get-or-create of a merchant customer at one processor account, never twice. An active
 * mapping is returned without a call (from memory once seen); duplicates in this process share
 * the first request's flight; the reservation protocol decides between requests and instances;
 * the executor calls the processor with the reservation's idempotency key, retrying only where a
 * repeat cannot duplicate.
 */
@Injectable()
export class CreateCustomer {
  private readonly inFlight = new Map<string, Promise<CreateCustomerResult>>();
  private readonly activeMappings = new ActiveMappingCache(ACTIVE_MAPPING_CACHE_SIZE);

  constructor(
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    private readonly reservations: ReservationProtocol,
    private readonly scope: MappingScopeService,
    private readonly baseUrls: BaseUrlPolicy,
    private readonly executor: ConnectorExecutor,
    private readonly unanswered: UnansweredAttempt,
  ) {}

  async execute(command: CreateCustomerCommand): Promise<CreateCustomerResult> {
    // Before anything can log: no line of this request may carry the customer's personal data.
    registerSensitiveValues(...personalValuesOf(command.customer));
    setRequestConnector(command.selection.connector.descriptor.name, command.selection.accountName);
    const result = await this.getOrCreateOnce(this.prepare(command));
    setRequestOutcome(result.created ? 'created' : 'replayed', result.connector);
    return result;
  }

  private async getOrCreateOnce(prepared: PreparedCreate): Promise<CreateCustomerResult> {
    const flightKey = mappingKeyString(prepared.key);
    const known = this.activeMappings.get(flightKey);
    if (known) return replayed(known);
    const leader = this.inFlight.get(flightKey);
    if (leader) return { ...(await leader), created: false, responseHeaders: {} };

    const flight = this.getOrCreate(prepared);
    this.inFlight.set(flightKey, flight);
    try {
      const result = await flight;
      this.activeMappings.remember(flightKey, {
        id: result.mappingId,
        merchantCustomerId: result.merchantCustomerId,
        connector: result.connector,
        connectorCustomerId: result.connectorCustomerId,
      });
      return result;
    } finally {
      this.inFlight.delete(flightKey);
    }
  }

  /** Everything that can refuse the request without touching the database or the network. */
  private prepare({ scope, selection, customer }: CreateCustomerCommand): PreparedCreate {
    const { connector, credentials } = selection;
    const credentialTestMode = connector.descriptor.testModeOf?.(credentials);
    if (credentialTestMode !== undefined && customer.testMode !== undefined && credentialTestMode !== customer.testMode) {
      throw DomainError.invalidField(
        'test_mode',
        `is ${customer.testMode} but the ${connector.descriptor.displayName} credentials are ${credentialTestMode ? 'test' : 'live'} credentials`,
      );
    }
    const testMode = credentialTestMode ?? customer.testMode ?? false;
    const key: MappingKey = {
      tenantId: scope.tenantId,
      merchantId: scope.merchantId,
      connector: connector.descriptor.name,
      connectorAccount: this.scope.connectorAccount(selection),
      merchantCustomerId: customer.merchantCustomerId,
    };
    const baseUrl = this.baseUrls.resolve(connector, credentials, selection.baseUrlOverride, testMode, selection.accountName !== undefined);
    return { key, connector, call: { customer, credentials, baseUrl, testMode, reference: this.scope.customerReference(key) } };
  }

  private async getOrCreate({ key, connector, call }: PreparedCreate): Promise<CreateCustomerResult> {
    const claim = await this.reservations.claim(key, {
      testMode: call.testMode,
      beforeReserving: () => {
        const violations = this.executor.validate(connector, 'create', call.customer);
        if (violations.length > 0) throw DomainError.validation(violations);
      },
    });
    if (claim.kind === 'active') return replayed(claim.mapping);

    let customer: ConnectorCustomer;
    try {
      customer = await this.callProcessor(connector, { ...call, idempotencyKey: claim.idempotencyKey }, claim);
    } catch (error) {
      await this.reservations.settleFailure(claim, error);
      throw error;
    }

    const completed = await this.reservations.complete(key, claim, customer.connectorCustomerId);
    if (!completed.activated) return replayed(completed.mapping);
    this.logger.info({ mapping_id: claim.mappingId, connector_customer_id: customer.connectorCustomerId }, 'customer created');
    return {
      mappingId: claim.mappingId,
      merchantCustomerId: key.merchantCustomerId,
      connector: key.connector,
      connectorCustomerId: customer.connectorCustomerId,
      created: true,
      responseHeaders: customer.responseHeaders,
    };
  }

  private async callProcessor(connector: Connector, call: CreateCustomerCall, held: HeldReservation): Promise<ConnectorCustomer> {
    const recovered = held.resumed && (await this.unanswered.reconcile(connector, call, held.resumed));
    if (recovered) return recovered;
    // A retry must finish before another request may take the mapping over.
    const retry = { repeatable: connector.descriptor.capabilities.replaysSafely, deadline: held.lease.expiresAt.getTime() };
    return this.executor.run(connector, 'create', call, { retry });
  }
}

function replayed(mapping: ActiveMapping | CustomerMapping): CreateCustomerResult {
  return {
    mappingId: mapping.id,
    merchantCustomerId: mapping.merchantCustomerId,
    connector: mapping.connector,
    connectorCustomerId: mapping.connectorCustomerId!,
    created: false,
    responseHeaders: {},
  };
}
