import type { SandboxRequest, SandboxResponse } from '../sandbox-http';

/** A scripted answer, replacing the simulator's own for the next matching requests. */
export interface InjectedFault {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  /** Close the connection without answering, before the simulator acts. */
  dropConnection?: boolean;
  /** Let the simulator act (create the customer), then close the connection without answering. */
  dropAfterProcessing?: boolean;
  /** Send status and headers at once, then the body one byte per this many milliseconds. */
  trickleBodyMs?: number;
  /** Answer this many requests this way (default 1). */
  times?: number;
}

/**
 * One processor's create-customer endpoint, mounted at `/<name>/` by the sandbox server. It
 * records every request it gets and counts the customers it holds, so tests can assert what
 * crossed the wire and that no duplicate was created.
 */
export interface ProcessorSimulator {
  readonly name: string;
  handle(request: SandboxRequest): Promise<SandboxResponse>;
  /** Customers created (not replays), across every account. */
  customerCount(): number;
  /**
   * The processor's who-am-I (Stripe `GET /v1/account`), which the service asks once per key to
   * scope its mappings. The sandbox answers it as it is — no injected fault, hold or latency — and
   * keeps it out of `requests`: tests of the customer API see the customer API.
   */
  isAccountLookup?(request: SandboxRequest): boolean;
  reset(): void;
}
