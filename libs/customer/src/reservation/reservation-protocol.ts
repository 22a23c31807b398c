import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { uuidv7 } from '@app/common/domain/ids';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import type { CustomerMapping, Lease, MappingKey } from '@app/database/mappings/customer-mapping';
import { CUSTOMER_MAPPING_STORE, type CustomerMappingStore, type Reservation } from '@app/database/mappings/customer-mapping.store';

/** Time a lease outlives the processor call's own deadline, covering the database writes. */
const LEASE_MARGIN_MS = 5_000;
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the limits check threw, if anything (its verdict is kept until the key's row is known). */
function refusalOf(check: () => void): { error: unknown } | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return { error };
  }
}

/** The right to call the processor for one mapping, until the lease expires. */
export interface HeldReservation {
  mappingId: string;
  idempotencyKey: string;
  lease: Lease;
  /** Set when an earlier attempt went unanswered: this one resumes it, with its idempotency key. */
  resumed?: CustomerMapping;
}

export type Claim = { kind: 'active'; mapping: CustomerMapping } | ({ kind: 'held' } & HeldReservation);

export interface ClaimOptions {
  testMode: boolean;
  /** Keyed fingerprint of the details this attempt sends, kept with a new reservation. */
  profileFingerprint?: string;
  /** A scope the account's mappings had before its own id was known: a mapping found there is moved to `key`'s. */
  formerAccount?: string;
  /** Runs once, before the first reservation is attempted: what can refuse the call without the processor (its limits). */
  beforeReserving(): void;
}

/**
 * Get-or-reserve of one mapping, never two holders: an active mapping is returned; otherwise one
 * request reserves a pending row (the unique key decides), or takes over a pending one whose
 * holder's lease lapsed (a crash, a lost answer) and resumes it with the same idempotency key.
 * The others poll until the row is active or its lease lapses. The holder completes the row
 * with the processor's id, or settles it after a failure.
 */
@Injectable()
export class ReservationProtocol {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Inject(CUSTOMER_MAPPING_STORE) private readonly store: CustomerMappingStore,
  ) {}

  /** How long a holder may take: the processor call's deadline and the database writes around it. */
  get leaseMs(): number {
    return this.config.connectorTimeoutMs + LEASE_MARGIN_MS;
  }

  async claim(key: MappingKey, options: ClaimOptions): Promise<Claim> {
    const giveUpAt = Date.now() + this.leaseMs + 1_000;
    let pollMs = FIRST_POLL_MS;
    let checked = false;
    // A mapping in the account's former scope moves to its own scope before anything is reserved
    // there (else the customer would be created again under the new scope): one guarded UPDATE,
    // which moves nothing when the new scope already holds the key.
    if (options.formerAccount !== undefined && options.formerAccount !== key.connectorAccount && (await this.store.adopt(key, options.formerAccount))) {
      this.logger.info({ connector: key.connector }, 'moved a mapping to its account’s own scope');
    }
    // A store that reserves and looks up in one round trip (every real one; test doubles need not)
    // is asked to reserve at once. The limits are checked first, as they would be before any
    // reservation; their verdict only counts when no active mapping holds the key — a stored
    // mapping is returned whatever the repeat carries.
    let firstPass = 'reserveOrFind' in this.store;
    for (;;) {
      let existing: CustomerMapping | null;
      if (firstPass) {
        firstPass = false;
        const refusal = refusalOf(() => options.beforeReserving());
        if (refusal) {
          existing = await this.store.findByKey(key);
          if (existing?.status === 'active') return { kind: 'active', mapping: existing };
          throw refusal.error;
        }
        checked = true;
        const reservation = this.newReservation(options);
        const outcome = await this.store.reserveOrFind!(key, reservation);
        if (outcome.reserved) return { kind: 'held', mappingId: reservation.id, idempotencyKey: reservation.idempotencyKey, lease: reservation.lease };
        // Taken by a row this statement could not see yet: look again.
        if (!outcome.existing) continue;
        existing = outcome.existing;
      } else {
        existing = await this.store.findByKey(key);
      }
      if (existing?.status === 'active') return { kind: 'active', mapping: existing };
      // Only a request about to call the processor is held to its limits; a stored mapping is
      // returned whatever the repeat carries.
      if (!checked) {
        options.beforeReserving();
        checked = true;
      }

      if (!existing) {
        const reservation = this.newReservation(options);
        if (await this.store.reserve(key, reservation)) {
          return { kind: 'held', mappingId: reservation.id, idempotencyKey: reservation.idempotencyKey, lease: reservation.lease };
        }
        continue;
      }

      const now = new Date();
      if (!existing.leaseExpiresAt || existing.leaseExpiresAt < now) {
        const lease = this.newLease();
        if (await this.store.takeOver(existing.id, lease, now)) {
          this.logger.info({ mapping_id: existing.id, attempt: existing.attempts + 1 }, 'resuming a pending mapping with its idempotency key');
          return { kind: 'held', mappingId: existing.id, idempotencyKey: existing.idempotencyKey, lease, resumed: existing };
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

  /**
   * Records the processor's id. When our lease lapsed meanwhile and another request resumed the
   * mapping with the same idempotency key, whatever it recorded is the customer the processor
   * holds: that mapping is returned instead.
   */
  async complete(key: MappingKey, held: HeldReservation, connectorCustomerId: string): Promise<{ activated: true } | { activated: false; mapping: CustomerMapping }> {
    if (await this.store.activate(held.mappingId, held.lease.token, connectorCustomerId)) return { activated: true };
    const current = await this.store.findByKey(key);
    if (current?.status === 'active') return { activated: false, mapping: current };
    throw new DomainError(ErrorReason.CreateInProgress, 'Another request is completing this customer; retry shortly');
  }

  /**
   * After a failed processor call: a definite refusal frees the reservation (a later call starts
   * afresh, with a new key); an unknown outcome keeps it with its idempotency key, so the retry
   * makes the processor replay. A resumed reservation is always kept: its first attempt's outcome
   * is still unknown, and a new key would forget it.
   */
  async settleFailure(held: HeldReservation, error: unknown): Promise<void> {
    const outcomeUnknown = held.resumed !== undefined || (error instanceof DomainError ? error.details.outcomeUnknown === true : true);
    try {
      if (outcomeUnknown) await this.store.release(held.mappingId, held.lease.token);
      else await this.store.remove(held.mappingId, held.lease.token);
    } catch (settleError) {
      // The lease will lapse on its own; the processor's error is what the caller needs.
      this.logger.error({ mapping_id: held.mappingId, err: { message: (settleError as Error).message } }, 'could not settle a failed reservation');
    }
  }

  private newReservation(options: ClaimOptions): Reservation {
    return { id: uuidv7(), idempotencyKey: randomUUID(), testMode: options.testMode, lease: this.newLease(), profileFingerprint: options.profileFingerprint };
  }

  private newLease(): Lease {
    return { token: randomUUID(), expiresAt: new Date(Date.now() + this.leaseMs) };
  }
}
