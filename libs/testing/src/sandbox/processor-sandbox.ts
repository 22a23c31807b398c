import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { json, writeResponse, type SandboxRequest, type SandboxResponse } from './sandbox-http';
import { createSimulators, type InjectedFault, type ProcessorSimulator } from './simulators';

export type Simulators = ReturnType<typeof createSimulators>;
export type SimulatorName = keyof Simulators;

export interface RecordedRequest extends SandboxRequest {
  simulator: string;
  /** What the sandbox answered (absent while pending, or when the connection was dropped first). */
  response?: { status: number; body: string };
}

/** A held response: the processor acted, its answer waits for `release()`. */
export interface HeldResponse {
  /** Resolves when a request reached the hold and its answer was computed. */
  reached: Promise<void>;
  release(): void;
}

/** A slow-loris answer: headers now, the body a byte at a time. */
async function trickle(res: ServerResponse, response: SandboxResponse, everyMs: number): Promise<void> {
  res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
  for (const byte of Buffer.from(response.body)) {
    if (res.destroyed) return;
    res.write(Buffer.from([byte]));
    await sleep(everyMs);
  }
  res.end();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Local simulators of each processor's create-customer endpoint on one HTTP server, with
 * fault injection (scripted answers, delays, dropped connections, held responses) and a record
 * of every request for contract checks. Control over HTTP under `/__sandbox/` too, for tests
 * that drive it from another process.
 */
export class ProcessorSandbox {
  readonly simulators: Simulators = createSimulators();
  readonly requests: RecordedRequest[] = [];
  /** The who-am-I requests the service made (see ProcessorSimulator.isAccountLookup), apart from `requests`. */
  readonly accountLookups: RecordedRequest[] = [];
  private readonly faults = new Map<string, InjectedFault[]>();
  private readonly holds = new Map<string, { gate: Promise<void>; reached: () => void }[]>();
  private readonly latencies = new Map<string, number>();
  private server?: Server;

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      this.dispatch(req)
        .then((response) => {
          if (response === 'drop') req.socket.destroy();
          else if (response.trickleBodyMs) void trickle(res, response, response.trickleBodyMs);
          else writeResponse(res, response);
        })
        .catch((error: unknown) => writeResponse(res, json(500, { error: { message: String(error) } })));
    });
    // Keep-alive like a real processor; tests close idle sockets with closeAllConnections.
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server!.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  /** The base URL a connector should be given for this simulator. */
  baseUrl(name: SimulatorName): string {
    return `${this.url}/${name}/`;
  }

  /** Every request to `name` waits this long before the simulator acts (a real processor's latency). */
  setLatency(name: SimulatorName, ms: number): void {
    this.latencies.set(name, ms);
  }

  injectFault(name: SimulatorName, fault: InjectedFault): void {
    const queue = this.faults.get(name) ?? [];
    queue.push({ times: 1, ...fault });
    this.faults.set(name, queue);
  }

  /** The next request to `name` is processed, but its answer waits for `release()`. */
  holdNextResponse(name: SimulatorName): HeldResponse {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    const queue = this.holds.get(name) ?? [];
    queue.push({ gate, reached });
    this.holds.set(name, queue);
    return { reached: reachedPromise, release };
  }

  requestsTo(name: SimulatorName): RecordedRequest[] {
    return this.requests.filter((request) => request.simulator === name);
  }

  reset(): void {
    this.requests.length = 0;
    this.accountLookups.length = 0;
    this.faults.clear();
    this.holds.clear();
    this.latencies.clear();
    for (const simulator of Object.values(this.simulators) as ProcessorSimulator[]) simulator.reset();
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage): Promise<(SandboxResponse & { trickleBodyMs?: number }) | 'drop'> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const [, mount, ...rest] = url.pathname.split('/');
    if (mount === '__sandbox') return this.control(req.method ?? 'GET', rest, body);
    const simulator = (this.simulators as Record<string, ProcessorSimulator>)[mount];
    if (!simulator) return json(404, { error: `no simulator at /${mount}/` });

    const request: RecordedRequest = { simulator: mount, method: req.method ?? 'GET', path: `/${rest.join('/')}${url.search}`, headers: req.headers, body, receivedAt: Date.now() };
    if (simulator.isAccountLookup?.(request)) {
      this.accountLookups.push(request);
      const answer = await simulator.handle(request);
      request.response = { status: answer.status, body: answer.body };
      return answer;
    }
    this.requests.push(request);

    const latency = this.latencies.get(mount);
    if (latency) await sleep(latency);
    const fault = this.takeFault(mount);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.dropConnection) return 'drop';
    const response: SandboxResponse & { trickleBodyMs?: number } =
      fault?.status !== undefined ? { status: fault.status, headers: { 'content-type': 'application/json', ...fault.headers }, body: fault.body ?? '' } : await simulator.handle(request);
    request.response = { status: response.status, body: response.body };
    if (fault?.dropAfterProcessing) return 'drop';
    if (fault?.trickleBodyMs) response.trickleBodyMs = fault.trickleBodyMs;
    const hold = this.holds.get(mount)?.shift();
    if (hold) {
      hold.reached();
      await hold.gate;
    }
    if (response.delayMs) await sleep(response.delayMs);
    return response;
  }

  private takeFault(name: string): InjectedFault | undefined {
    const queue = this.faults.get(name);
    const fault = queue?.[0];
    if (!fault) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) queue!.shift();
    return fault;
  }

  /** `GET /__sandbox/stats`, `POST /__sandbox/reset`, `POST /__sandbox/<name>/faults` (JSON InjectedFault). */
  private control(method: string, path: string[], body: string): SandboxResponse {
    if (method === 'GET' && path[0] === 'stats') {
      const customers = Object.fromEntries(Object.entries(this.simulators).map(([name, sim]) => [name, (sim as ProcessorSimulator).customerCount()]));
      return json(200, { customers, requests: this.requests.length });
    }
    if (method === 'POST' && path[0] === 'reset') {
      this.reset();
      return json(200, { reset: true });
    }
    if (method === 'POST' && path[1] === 'faults' && path[0] in this.simulators) {
      this.injectFault(path[0] as SimulatorName, JSON.parse(body) as InjectedFault);
      return json(200, { injected: true });
    }
    return json(404, { error: 'unknown sandbox control route' });
  }
}
