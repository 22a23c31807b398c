import CircuitBreaker from 'opossum';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { InboundResponse } from '../http/processor-http';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitSettings {
  /** Share of failed calls in the rolling window that opens the circuit. */
  errorThresholdPercentage: number;
  /** Calls in the window before the share is judged (a few failures never open it). */
  volumeThreshold: number;
  rollingWindowMs: number;
  /** Time open before one trial call is let through. */
  resetTimeoutMs: number;
}

export const DEFAULT_CIRCUIT_SETTINGS: CircuitSettings = {
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  rollingWindowMs: 10_000,
  resetTimeoutMs: 15_000,
};

/** A 5xx answer: returned to the connector as usual, but counted against the processor. */
class ServerErrorAnswer extends Error {
  constructor(readonly response: InboundResponse) {
    super(`HTTP ${response.status}`);
  }
}

type Action = () => Promise<InboundResponse>;

/**
 * One circuit per processor origin (connector + scheme://host:port): a processor that keeps
 * failing — transport errors, timeouts, 5xx — is not called for a while, and callers get an
 * immediate UNAVAILABLE that says so instead of waiting for timeouts. 4xx answers are the
 * caller's problem and never count.
 */
export class CircuitBreakers {
  private readonly circuits = new Map<string, { breaker: CircuitBreaker<[Action], InboundResponse>; openedAt?: number }>();

  constructor(private readonly settings: CircuitSettings = DEFAULT_CIRCUIT_SETTINGS) {}

  async run(connector: string, origin: string, action: Action): Promise<InboundResponse> {
    const key = `${connector} ${origin}`;
    const circuit = this.circuitFor(key);
    try {
      return await circuit.breaker.fire(async () => {
        const response = await action();
        if (response.status >= 500) throw new ServerErrorAnswer(response);
        return response;
      });
    } catch (error) {
      if (error instanceof ServerErrorAnswer) return error.response;
      if ((error as { code?: string }).code === 'EOPENBREAKER') throw this.openError(connector, origin, circuit.openedAt);
      throw error;
    }
  }

  /** Every circuit and its state, for metrics and health. */
  states(): { connector: string; origin: string; state: CircuitState }[] {
    return [...this.circuits.entries()].map(([key, { breaker }]) => {
      const [connector, origin] = key.split(' ');
      return { connector, origin, state: breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed' };
    });
  }

  shutdown(): void {
    for (const { breaker } of this.circuits.values()) breaker.shutdown();
    this.circuits.clear();
  }

  private circuitFor(key: string) {
    let circuit = this.circuits.get(key);
    if (!circuit) {
      const breaker = new CircuitBreaker<[Action], InboundResponse>((action) => action(), {
        timeout: false,
        errorThresholdPercentage: this.settings.errorThresholdPercentage,
        volumeThreshold: this.settings.volumeThreshold,
        rollingCountTimeout: this.settings.rollingWindowMs,
        resetTimeout: this.settings.resetTimeoutMs,
        // Only the processor's failures count: a refused request (4xx) or our own refusal does not.
        errorFilter: (error: unknown) => !(error instanceof ServerErrorAnswer || isTransportFailure(error)),
      });
      const created = { breaker, openedAt: undefined as number | undefined };
      breaker.on('open', () => (created.openedAt = Date.now()));
      breaker.on('close', () => (created.openedAt = undefined));
      circuit = created;
      this.circuits.set(key, circuit);
    }
    return circuit;
  }

  private openError(connector: string, origin: string, openedAt = Date.now()): DomainError {
    const retryAfterSeconds = Math.max(1, Math.ceil((openedAt + this.settings.resetTimeoutMs - Date.now()) / 1000));
    const message = `circuit open: ${origin} failed repeatedly, calls are paused for ${retryAfterSeconds} s`;
    return new DomainError(ErrorReason.ConnectorUnavailable, `${connector} is not being called: ${message}`, {
      connector: { connector, code: 'circuit_open', message },
      retryAfterSeconds,
      outcomeUnknown: false,
    });
  }
}

function isTransportFailure(error: unknown): boolean {
  return (
    error instanceof DomainError &&
    [ErrorReason.ConnectorUnavailable, ErrorReason.ConnectorTimeout, ErrorReason.ConnectorInvalidResponse].includes(error.reason)
  );
}
