import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import type { InboundResponse } from '../http/processor-http';
import { CircuitBreakers, DEFAULT_CIRCUIT_SETTINGS, type CircuitState } from './circuit-breakers';

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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** When another attempt of a flow is allowed. */
export interface RetryRule {
  /** A repeat cannot act twice at the processor (idempotency key, merchant-chosen id, a read). */
  repeatable: boolean;
  /** Epoch milliseconds by which a retry must have finished (a Create's lease). */
  deadline: number;
}

/**
 * How processor calls are made safely: every exchange through its origin's circuit breaker, and a
 * failed flow attempted again only where a repeat cannot create a second customer — the flow is
 * repeatable, or the processor provably did not act (connection refused, 429). Bounded by
 * attempts and by the caller's deadline, backing off with full jitter.
 */
@Injectable()
export class CallPolicy implements OnModuleDestroy {
  private readonly circuits: CircuitBreakers;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {
    this.circuits = new CircuitBreakers({ ...DEFAULT_CIRCUIT_SETTINGS, resetTimeoutMs: config.circuitBreakerResetMs ?? DEFAULT_CIRCUIT_SETTINGS.resetTimeoutMs });
  }

  /** One exchange, through the circuit of the processor origin (scheme://host:port) it goes to. */
  guarded(connector: string, origin: string, exchange: () => Promise<InboundResponse>): Promise<InboundResponse> {
    return this.circuits.run(connector, origin, exchange);
  }

  async withRetries<R>(rule: RetryRule, attempt: () => Promise<R>): Promise<R> {
    for (let attempts = 1; ; attempts += 1) {
      try {
        return await attempt();
      } catch (error) {
        const delayMs = this.retryDelay(rule, error, attempts);
        if (delayMs === undefined) throw error;
        this.logger.warn({ attempt: attempts, delay_ms: delayMs, reason: (error as DomainError).reason }, 'retrying the processor call');
        await sleep(delayMs);
      }
    }
  }

  /** Every circuit and its state, for metrics and health. */
  circuitStates(): { connector: string; origin: string; state: CircuitState }[] {
    return this.circuits.states();
  }

  onModuleDestroy(): void {
    this.circuits.shutdown();
  }

  private retryDelay(rule: RetryRule, error: unknown, attempt: number): number | undefined {
    if (!(error instanceof DomainError) || !TRANSIENT_REASONS.has(error.reason) || attempt >= this.config.connectorMaxAttempts) return undefined;
    if (error.details.connector?.code === 'circuit_open') return undefined;
    if (!rule.repeatable && error.details.outcomeUnknown !== false) return undefined;
    const retryAfterMs = error.details.retryAfterSeconds === undefined ? undefined : error.details.retryAfterSeconds * 1000;
    if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) return undefined;
    const delayMs = retryAfterMs ?? Math.random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt);
    const fitsInDeadline = Date.now() + delayMs + this.config.connectorTimeoutMs < rule.deadline;
    return fitsInDeadline ? Math.round(delayMs) : undefined;
  }
}
