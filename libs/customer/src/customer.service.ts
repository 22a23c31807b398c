import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { uuidv7 } from '@app/common/domain/ids';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { BaseUrlPolicy } from '@app/connectors/base-url-policy';
import type { Connector, Credentials } from '@app/connectors/connector';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import { ConnectorHttpClient } from '@app/connectors/http/connector-http-client';
import type { CustomerMapping, Lease, MappingKey } from './mapping/customer-mapping';
import { ActiveMappingCache, type ActiveMapping } from './mapping/active-mapping-cache';
import { CustomerMappingRepository } from './mapping/customer-mapping.repository';
import { MappingScopeService } from './mapping/mapping-scope.service';

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

/** Time a lease outlives the processor call's own deadline, covering the database writes. */
const LEASE_MARGIN_MS = 5_000;
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;

/** Active mappings kept in memory: a replay then costs no database round trip. */
const ACTIVE_MAPPING_CACHE_SIZE = 10_000;

const mappingKeyString = (key: MappingKey) => [key.tenantId, key.merchantId, key.connector, key.connectorAccount, key.merchantCustomerId].join('\0');


const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const RETRY_BASE_MS = 100;
const RETRY_CAP_MS = 2_000;
/** A Retry-After longer than this is the caller's to wait, not ours. */
const MAX_RETRY_AFTER_MS = 2_000;
/** Processor answers worth another attempt: it was busy, failed, or did not answer. */
const TRANSIENT_REASONS = new Set<ErrorReason>([
  ErrorReason.ConnectorUnavailable,
  ErrorReason.ConnectorTimeout,
  ErrorReason.ConnectorInternalError,
  ErrorReason.ConnectorRateLimited,
  ErrorReason.ConnectorConflict,
  ErrorReason.ConnectorInvalidResponse,
]);

interface PreparedCall {
  key: MappingKey;
  reference: string;
  connector: Connector;
  credentials: Credentials;
  customer: CustomerProfile;
  baseUrl: string;
  testMode: boolean;
}

/**
 * Get-or-create of a merchant customer at a processor account, never twice:
 * an active mapping is returned without a call; otherwise one request reserves a pending row
 * (the unique key decides), calls the processor with the row's idempotency key and activates
 * it. Duplicates in this process share the leader's promise; duplicates elsewhere poll the row
 * until it is active or its lease lapses, then resume with the same idempotency key.
 */
@Injectable()
export class CustomerService {
  private readonly inFlight = new Map<string, Promise<CreateCustomerResult>>();
  private readonly activeMappings = new ActiveMappingCache(ACTIVE_MAPPING_CACHE_SIZE);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    private readonly mappings: CustomerMappingRepository,
    private readonly scope: MappingScopeService,
    private readonly baseUrls: BaseUrlPolicy,
    private readonly http: ConnectorHttpClient,
  ) {}

  async create(command: CreateCustomerCommand): Promise<CreateCustomerResult> {
    const call = this.prepare(command);
    const flightKey = mappingKeyString(call.key);
    const known = this.activeMappings.get(flightKey);
    if (known) return this.replayed(known);
    const leader = this.inFlight.get(flightKey);
    if (leader) return { ...(await leader), created: false, responseHeaders: {} };

    const flight = this.getOrCreate(call);
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
  private prepare({ scope, selection, customer }: CreateCustomerCommand): PreparedCall {
    const { connector, credentials } = selection;
    const credentialTestMode = connector.testModeOf(credentials);
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
    return {
      key,
      reference: this.scope.customerReference(key),
      connector,
      credentials,
      customer,
      baseUrl: this.baseUrls.resolve(connector, selection.baseUrlOverride, testMode, selection.accountName !== undefined),
      testMode,
    };
  }

  private get leaseMs(): number {
    return this.config.connectorTimeoutMs + LEASE_MARGIN_MS;
  }

  private newLease(): Lease {
    return { token: randomUUID(), expiresAt: new Date(Date.now() + this.leaseMs) };
  }

  private async getOrCreate(call: PreparedCall): Promise<CreateCustomerResult> {
    const giveUpAt = Date.now() + this.leaseMs + 1_000;
    let pollMs = FIRST_POLL_MS;
    let withinLimits = false;
    for (;;) {
      const existing = await this.mappings.findByKey(call.key);
      if (existing?.status === 'active') return this.replayed(existing);
      // The processor's limits matter only when we are about to call it; a stored mapping is
      // returned whatever the repeat carries.
      if (!withinLimits) {
        const violations = call.connector.validateCustomer(call.customer);
        if (violations.length > 0) throw DomainError.validation(violations);
        withinLimits = true;
      }

      if (!existing) {
        const id = uuidv7();
        const idempotencyKey = randomUUID();
        const lease = this.newLease();
        if (await this.mappings.reserve(call.key, { id, idempotencyKey, testMode: call.testMode, lease })) {
          return this.callProcessor(call, id, idempotencyKey, lease);
        }
        continue;
      }

      const now = new Date();
      if (!existing.leaseExpiresAt || existing.leaseExpiresAt < now) {
        const lease = this.newLease();
        if (await this.mappings.takeOver(existing.id, lease, now)) {
          this.logger.info({ mapping_id: existing.id, attempt: existing.attempts + 1 }, 'resuming a pending mapping with its idempotency key');
          return this.callProcessor(call, existing.id, existing.idempotencyKey, lease, existing);
        }
        continue;
      }

      const remaining = giveUpAt - now.getTime();
      if (remaining <= 0) {
        throw new DomainError(ErrorReason.CreateInProgress, 'Another request is creating this customer at this processor account; retry shortly');
      }
      await sleep(Math.min(pollMs, remaining, Math.max(1, existing.leaseExpiresAt.getTime() - now.getTime() + 1)));
      pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
    }
  }

  private async callProcessor(call: PreparedCall, mappingId: string, idempotencyKey: string, lease: Lease, resumed?: CustomerMapping): Promise<CreateCustomerResult> {
    let customer;
    try {
      customer = (resumed && (await this.reconcile(call, idempotencyKey, resumed))) ?? (await this.createWithRetries(call, idempotencyKey, lease));
    } catch (error) {
      await this.settleFailedCall(mappingId, lease, error, resumed !== undefined);
      throw error;
    }

    if (!(await this.mappings.activate(mappingId, lease.token, customer.connectorCustomerId))) {
      // Our lease lapsed and another request resumed the mapping with the same idempotency key:
      // whatever it recorded is the customer the processor holds.
      const current = await this.mappings.findByKey(call.key);
      if (current?.status === 'active') return this.replayed(current);
      throw new DomainError(ErrorReason.CreateInProgress, 'Another request is completing this customer; retry shortly');
    }
    this.logger.info({ mapping_id: mappingId, connector_customer_id: customer.connectorCustomerId }, 'customer created');
    return {
      mappingId,
      merchantCustomerId: call.key.merchantCustomerId,
      connector: call.key.connector,
      connectorCustomerId: customer.connectorCustomerId,
      created: true,
      responseHeaders: customer.responseHeaders,
    };
  }

  /**
   * An earlier attempt of this mapping went unanswered. Where a replay cannot protect the retry
   * (the connector is not retry-safe, or the processor's replay window has passed), look for the
   * customer that attempt may have created, by our back-reference, before creating one. A failed
   * lookup fails the request rather than risking a blind create.
   */
  private async reconcile(call: PreparedCall, idempotencyKey: string, resumed: CustomerMapping) {
    const { connector } = call;
    const { replaysSafely, replayWindowHours } = connector.descriptor.capabilities;
    if (!replaysSafely && !connector.findCreatedCustomer) {
      // Nothing can tell whether the unanswered attempt created the customer: another create might
      // duplicate it. The mapping stays pending until an operator resolves it (admin API).
      throw new DomainError(
        ErrorReason.CreateOutcomeUnknown,
        `An earlier attempt to create this customer at ${connector.descriptor.displayName} got no answer, and ${connector.descriptor.displayName} offers no way to tell whether it created one. ` +
          `Find the customer at ${connector.descriptor.displayName} and record it (POST /v1/admin/customer-mappings/${resumed.id}/resolve), or allow a new attempt (POST /v1/admin/customer-mappings/${resumed.id}/release).`,
        { outcomeUnknown: true },
      );
    }
    if (!connector.findCreatedCustomer) return undefined;
    const replayExpired = replayWindowHours !== undefined && Date.now() - resumed.createdAt.getTime() > replayWindowHours * 3_600_000;
    if (replaysSafely && !replayExpired) return undefined;
    const request = { customer: call.customer, credentials: call.credentials, baseUrl: call.baseUrl, idempotencyKey, reference: call.reference, testMode: call.testMode };
    const found = await connector.findCreatedCustomer(request, this.http);
    if (found) this.logger.info({ mapping_id: resumed.id, connector_customer_id: found.connectorCustomerId }, 'recovered the customer of an unanswered attempt');
    return found;
  }

  /**
   * Calls the processor, retrying transient failures only where a retry cannot create a second
   * customer: the connector replays by idempotency key or merchant-chosen id, or the processor
   * provably did not act (connection refused, 429). Bounded by attempts and by the lease (a retry
   * must finish before another request may take the mapping over), backing off with full jitter.
   */
  private async createWithRetries(call: PreparedCall, idempotencyKey: string, lease: Lease) {
    const request = { customer: call.customer, credentials: call.credentials, baseUrl: call.baseUrl, idempotencyKey, reference: call.reference, testMode: call.testMode };
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call.connector.createCustomer(request, this.http);
      } catch (error) {
        const delayMs = this.retryDelay(call, error, attempt, lease);
        if (delayMs === undefined) throw error;
        this.logger.warn({ attempt, delay_ms: delayMs, reason: (error as DomainError).reason }, 'retrying the processor call');
        await sleep(delayMs);
      }
    }
  }

  private retryDelay(call: PreparedCall, error: unknown, attempt: number, lease: Lease): number | undefined {
    if (!(error instanceof DomainError) || !TRANSIENT_REASONS.has(error.reason) || attempt >= this.config.connectorMaxAttempts) return undefined;
    if (error.details.connector?.code === 'circuit_open') return undefined;
    if (!call.connector.descriptor.capabilities.replaysSafely && error.details.outcomeUnknown !== false) return undefined;
    const retryAfterMs = error.details.retryAfterSeconds === undefined ? undefined : error.details.retryAfterSeconds * 1000;
    if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) return undefined;
    const delayMs = retryAfterMs ?? Math.random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt);
    const fitsInLease = Date.now() + delayMs + this.config.connectorTimeoutMs < lease.expiresAt.getTime();
    return fitsInLease ? Math.round(delayMs) : undefined;
  }

  /**
   * A definite refusal frees the reservation (a later call starts afresh, with a new key); an
   * unknown outcome keeps it with its idempotency key, so the retry makes the processor replay.
   * A resumed reservation is always kept: its first attempt's outcome is still unknown, and a new
   * key would forget it.
   */
  private async settleFailedCall(mappingId: string, lease: Lease, error: unknown, resumed: boolean): Promise<void> {
    const outcomeUnknown = resumed || (error instanceof DomainError ? error.details.outcomeUnknown === true : true);
    try {
      if (outcomeUnknown) await this.mappings.release(mappingId, lease.token);
      else await this.mappings.remove(mappingId, lease.token);
    } catch (settleError) {
      // The lease will lapse on its own; the processor's error is what the caller needs.
      this.logger.error({ mapping_id: mappingId, err: { message: (settleError as Error).message } }, 'could not settle a failed reservation');
    }
  }

  private replayed(mapping: ActiveMapping): CreateCustomerResult {
    return {
      mappingId: mapping.id,
      merchantCustomerId: mapping.merchantCustomerId,
      connector: mapping.connector,
      connectorCustomerId: mapping.connectorCustomerId!,
      created: false,
      responseHeaders: {},
    };
  }
}
