import { Inject, Injectable } from '@nestjs/common';
import { registerSensitiveValues, setRequestConnector, setRequestOutcome } from '@app/common/context/request-context';
import { personalValuesOf, type CustomerProfile } from '@app/common/domain/customer-profile';
import { DomainError, type FieldViolation } from '@app/common/errors/domain-error';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { BaseUrlPolicy } from '@app/connectors/base-url-policy';
import type { Connector, ConnectorCustomer, CreateCustomerCall } from '@app/connectors/connector';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import type { CustomerMapping, MappingKey } from '@app/database/mappings/customer-mapping';
import { CUSTOMER_MAPPING_STORE, type CustomerMappingStore } from '@app/database/mappings/customer-mapping.store';
import type { ActiveMapping } from '../mapping/active-mapping-cache';
import { ActiveMappings, mappingKeyString } from '../mapping/active-mappings';
import { AccountScope } from '../mapping/account-scope';
import { KeyedDigests } from '../mapping/keyed-digests';
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
  /** A replay whose details differ from those last sent to the processor (the stored customer is returned as it is). */
  profileDiffers: boolean;
  /** Set when this call created a new customer although an earlier one of this merchant customer id was erased at this account. */
  previouslyErasedAt?: Date;
}

/** A result, with the fingerprint the mapping holds now (what later replays compare with). */
type Outcome = CreateCustomerResult & { storedFingerprint: string | null };

/** Everything known before the database or the network: where the customer goes and as what. */
export interface PreparedCreate {
  key: MappingKey;
  /** The scope the account's mappings had before its own id was known, when it differs. */
  formerAccount?: string;
  connector: Connector;
  /** The processor call, short of the reservation's idempotency key and our reference (computed only when the processor is called). */
  call: Omit<CreateCustomerCall, 'idempotencyKey' | 'reference'>;
  fingerprint: string;
  /** The processor's limits the customer breaks: refused only when the processor is about to be called. */
  violations: FieldViolation[];
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
  private readonly inFlight = new Map<string, Promise<Outcome>>();

  constructor(
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Inject(CUSTOMER_MAPPING_STORE) private readonly mappings: CustomerMappingStore,
    private readonly reservations: ReservationProtocol,
    private readonly accounts: AccountScope,
    private readonly scope: MappingScopeService,
    private readonly digests: KeyedDigests,
    private readonly baseUrls: BaseUrlPolicy,
    private readonly executor: ConnectorExecutor,
    private readonly unanswered: UnansweredAttempt,
    private readonly activeMappings: ActiveMappings,
  ) {}

  async execute(command: CreateCustomerCommand): Promise<CreateCustomerResult> {
    // Before anything can log: no line of this request may carry the customer's personal data.
    registerSensitiveValues(...personalValuesOf(command.customer));
    setRequestConnector(command.selection.connector.descriptor.name, command.selection.accountName);
    const { storedFingerprint: _stored, ...result } = await this.getOrCreateOnce(await this.prepare(command));
    setRequestOutcome(result.created ? 'created' : 'replayed', result.connector);
    return result;
  }

  private async getOrCreateOnce(prepared: PreparedCreate): Promise<Outcome> {
    const known = this.activeMappings.get(prepared.key);
    if (known) return replayed(known, prepared.fingerprint);
    const flightKey = mappingKeyString(prepared.key);
    const leader = this.inFlight.get(flightKey);
    // A duplicate in this process is a replay of what the first request's flight stored.
    if (leader) return replayed(storedBy(await leader), prepared.fingerprint);

    const flight = this.getOrCreate(prepared);
    this.inFlight.set(flightKey, flight);
    try {
      const result = await flight;
      this.activeMappings.remember(prepared.key, storedBy(result));
      return result;
    } finally {
      this.inFlight.delete(flightKey);
    }
  }

  /** Everything that can refuse the request without touching the database (the account's id may be asked of the processor once). */
  private async prepare({ scope, selection, customer }: CreateCustomerCommand): Promise<PreparedCreate> {
    const { connector, credentials } = selection;
    const credentialTestMode = connector.descriptor.testModeOf?.(credentials);
    if (credentialTestMode !== undefined && customer.testMode !== undefined && credentialTestMode !== customer.testMode) {
      throw DomainError.invalidField(
        'test_mode',
        `is ${customer.testMode} but the ${connector.descriptor.displayName} credentials are ${credentialTestMode ? 'test' : 'live'} credentials`,
      );
    }
    const testMode = credentialTestMode ?? customer.testMode ?? false;
    const baseUrl = this.baseUrls.resolve(connector, credentials, selection.baseUrlOverride, testMode, selection.accountName !== undefined);
    const violations = this.executor.validate(connector, 'create', customer);
    // Over the processor's limits, the processor is not asked whose the key is: the request is
    // refused unless the mapping can be found without it (a stored one is returned whatever it carries).
    const account = await this.accounts.of(selection, { credentials, baseUrl, testMode }, { askProcessor: violations.length === 0 });
    if (!account) throw DomainError.validation(violations);
    const key: MappingKey = {
      tenantId: scope.tenantId,
      merchantId: scope.merchantId,
      connector: connector.descriptor.name,
      connectorAccount: account.current,
      merchantCustomerId: customer.merchantCustomerId,
    };
    return {
      key,
      formerAccount: account.former,
      connector,
      call: { customer, credentials, baseUrl, testMode },
      fingerprint: this.digests.profileFingerprint(customer),
      violations,
    };
  }

  private async getOrCreate(prepared: PreparedCreate): Promise<Outcome> {
    const { key, connector, call, fingerprint } = prepared;
    const claim = await this.reservations.claim(key, {
      testMode: call.testMode,
      profileFingerprint: fingerprint,
      formerAccount: prepared.formerAccount,
      beforeReserving: () => {
        if (prepared.violations.length > 0) throw DomainError.validation(prepared.violations);
      },
    });
    if (claim.kind === 'active') return replayed(claim.mapping, fingerprint);

    let customer: ConnectorCustomer;
    try {
      customer = await this.callProcessor(connector, { ...call, reference: this.scope.customerReference(key), idempotencyKey: claim.idempotencyKey }, claim, fingerprint);
    } catch (error) {
      await this.reservations.settleFailure(claim, error);
      throw error;
    }

    const completed = await this.reservations.complete(key, claim, customer.connectorCustomerId);
    if (!completed.activated) return replayed(completed.mapping, fingerprint);
    // A resumed attempt keeps what its first attempt sent: a retry with other details finds that customer.
    const storedFingerprint = claim.resumed?.profileFingerprint ?? fingerprint;
    this.logger.info({ mapping_id: claim.mappingId, connector_customer_id: customer.connectorCustomerId }, 'customer created');
    const previouslyErasedAt = await this.mappings.erasedAt(key, this.digests.customerHash(key.tenantId, key.merchantId, key.merchantCustomerId));
    return {
      mappingId: claim.mappingId,
      merchantCustomerId: key.merchantCustomerId,
      connector: key.connector,
      connectorCustomerId: customer.connectorCustomerId,
      created: true,
      responseHeaders: customer.responseHeaders,
      profileDiffers: storedFingerprint !== fingerprint,
      storedFingerprint,
      ...(previouslyErasedAt && { previouslyErasedAt }),
    };
  }

  private async callProcessor(connector: Connector, call: CreateCustomerCall, held: HeldReservation, fingerprint: string): Promise<ConnectorCustomer> {
    const recovered = held.resumed && (await this.unanswered.reconcile(connector, call, held.resumed, fingerprint));
    if (recovered) return recovered;
    // A retry must finish before another request may take the mapping over.
    const retry = { repeatable: connector.descriptor.capabilities.replaysSafely, deadline: held.lease.expiresAt.getTime() };
    return this.executor.run(connector, 'create', call, { retry });
  }
}

/** The active mapping an outcome leaves stored. */
function storedBy(outcome: Outcome): ActiveMapping {
  return { id: outcome.mappingId, merchantCustomerId: outcome.merchantCustomerId, connector: outcome.connector, connectorCustomerId: outcome.connectorCustomerId, profileFingerprint: outcome.storedFingerprint };
}

function replayed(mapping: ActiveMapping | CustomerMapping, fingerprint: string): Outcome {
  return {
    storedFingerprint: mapping.profileFingerprint ?? null,
    mappingId: mapping.id,
    merchantCustomerId: mapping.merchantCustomerId,
    connector: mapping.connector,
    connectorCustomerId: mapping.connectorCustomerId!,
    created: false,
    responseHeaders: {},
    // A mapping from before fingerprints were kept cannot tell: it is not said to differ.
    profileDiffers: mapping.profileFingerprint != null && mapping.profileFingerprint !== fingerprint,
  };
}
