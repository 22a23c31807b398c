import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { InboundResponse } from '../http/processor-http';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitSettings {
  /** Share of failed calls in the rolling window that opens the circuit (strictly above it). */
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

/** The rolling window is counted in this many buckets of rollingWindowMs / BUCKETS each. */
const BUCKETS = 10;

type Action = () => Promise<InboundResponse>;

/**
 * One origin's circuit: calls and failures counted in a rolling window of buckets (rotated as calls
 * arrive, no timer), a timer only while open. The rules are opossum's, which this replaces
 * (its per-call events, promise wrapping and bucket timers cost ~0.3 ms a call, bench/PROFILE.md):
 * every call counts; after a failure, with at least `volumeThreshold` calls in the window and
 * more than `errorThresholdPercentage` of them failed, the circuit opens; after `resetTimeoutMs`
 * it lets one trial call through, which closes it or opens it again.
 */
class Circuit {
  state: CircuitState = 'closed';
  openedAt: number | undefined;
  /** Half open, and the one trial call not yet let through. */
  private trialAvailable = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly epochs = new Float64Array(BUCKETS).fill(-1);
  private readonly fires = new Uint32Array(BUCKETS);
  private readonly failures = new Uint32Array(BUCKETS);
  private readonly bucketMs: number;

  constructor(private readonly settings: CircuitSettings) {
    this.bucketMs = Math.max(1, Math.floor(settings.rollingWindowMs / BUCKETS));
  }

  /** Counts a call and says whether it may go out. */
  admit(): boolean {
    const slot = this.slot();
    this.fires[slot] += 1;
    if (this.state === 'closed') return true;
    if (this.state === 'half_open' && this.trialAvailable) {
      this.trialAvailable = false;
      return true;
    }
    return false;
  }

  succeeded(): void {
    if (this.state === 'half_open') this.close();
  }

  failed(): void {
    this.failures[this.slot()] += 1;
    if (this.state === 'half_open') return this.open();
    let fires = 0;
    let failures = 0;
    const oldest = this.epoch() - BUCKETS;
    for (let k = 0; k < BUCKETS; k += 1) {
      if (this.epochs[k] <= oldest) continue;
      fires += this.fires[k];
      failures += this.failures[k];
    }
    if (fires >= this.settings.volumeThreshold && (failures / fires) * 100 > this.settings.errorThresholdPercentage) this.open();
  }

  shutdown(): void {
    clearTimeout(this.timer);
  }

  private open(): void {
    if (this.state === 'open') return;
    this.state = 'open';
    this.trialAvailable = false;
    this.openedAt = Date.now();
    this.timer = setTimeout(() => {
      this.state = 'half_open';
      this.trialAvailable = true;
    }, this.settings.resetTimeoutMs);
    this.timer.unref();
  }

  private close(): void {
    clearTimeout(this.timer);
    this.state = 'closed';
    this.trialAvailable = false;
    this.openedAt = undefined;
  }

  private epoch(): number {
    return Math.floor(Date.now() / this.bucketMs);
  }

  /** The current bucket, emptied first when it last counted an older period. */
  private slot(): number {
    const epoch = this.epoch();
    const slot = epoch % BUCKETS;
    if (this.epochs[slot] !== epoch) {
      this.epochs[slot] = epoch;
      this.fires[slot] = 0;
      this.failures[slot] = 0;
    }
    return slot;
  }
}

/**
 * One circuit per processor origin (connector + scheme://host:port): a processor that keeps
 * failing — transport errors, timeouts, 5xx — is not called for a while, and callers get an
 * immediate UNAVAILABLE that says so instead of waiting for timeouts. 4xx answers are the
 * caller's problem and never count.
 */
export class CircuitBreakers {
  private readonly circuits = new Map<string, Map<string, Circuit>>();

  constructor(private readonly settings: CircuitSettings = DEFAULT_CIRCUIT_SETTINGS) {}

  async run(connector: string, origin: string, action: Action): Promise<InboundResponse> {
    const circuit = this.circuitFor(connector, origin);
    if (!circuit.admit()) throw this.openError(connector, origin, circuit.openedAt);
    let response: InboundResponse;
    try {
      response = await action();
    } catch (error) {
      // Only the processor's failures count: a refused request (4xx) or our own refusal does not.
      if (isTransportFailure(error)) circuit.failed();
      else circuit.succeeded();
      throw error;
    }
    if (response.status >= 500) circuit.failed();
    else circuit.succeeded();
    return response;
  }

  /** Every circuit and its state, for metrics and health. */
  states(): { connector: string; origin: string; state: CircuitState }[] {
    return [...this.circuits.entries()].flatMap(([connector, byOrigin]) => [...byOrigin.entries()].map(([origin, circuit]) => ({ connector, origin, state: circuit.state })));
  }

  shutdown(): void {
    for (const byOrigin of this.circuits.values()) for (const circuit of byOrigin.values()) circuit.shutdown();
    this.circuits.clear();
  }

  private circuitFor(connector: string, origin: string): Circuit {
    let byOrigin = this.circuits.get(connector);
    if (!byOrigin) this.circuits.set(connector, (byOrigin = new Map()));
    let circuit = byOrigin.get(origin);
    if (!circuit) byOrigin.set(origin, (circuit = new Circuit(this.settings)));
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

const TRANSPORT_FAILURES = new Set<ErrorReason>([ErrorReason.ConnectorUnavailable, ErrorReason.ConnectorTimeout, ErrorReason.ConnectorInvalidResponse]);

function isTransportFailure(error: unknown): boolean {
  return error instanceof DomainError && TRANSPORT_FAILURES.has(error.reason);
}
