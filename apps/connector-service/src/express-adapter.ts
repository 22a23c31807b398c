import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { ExpressAdapter } from '@nestjs/platform-express';
import { httpsOptionsOf, type HttpServerSetup } from './listeners';

type Constructor = new (...args: never[]) => object;

/** A constructor of `base` objects that are born with `prototype` instead of `base.prototype`. */
function bornWithPrototype<T extends Constructor>(base: T, prototype: object): T {
  const Born = function (this: unknown, ...args: never[]) {
    return Reflect.construct(base, args, Born);
  } as unknown as T;
  Born.prototype = prototype;
  return Born;
}

/**
 * Express gives every request and response its own prototype (`Object.setPrototypeOf(req,
 * app.request)`) as it enters. Changing a live object's prototype sends V8 down a slow path: per
 * request that cost ~7 KB more garbage and made ~6 KB of each request outlive the young
 * generation, to be copied by every scavenge and swept by full collections (bench/PROFILE.md).
 * Here the HTTP server creates them with Express's prototypes already, so Express's call changes
 * nothing. Express still sets them itself, so behaviour is the same.
 */
export class PrototypeStableExpressAdapter extends ExpressAdapter {
  private setup?: HttpServerSetup;

  /** The listener's bounds and TLS, known once the configuration is validated (before Nest creates the server). */
  configure(setup: HttpServerSetup): void {
    this.setup = setup;
  }

  override initHttpServer(options: { httpsOptions?: unknown; forceCloseConnections?: boolean }): void {
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options as never);
    const app = this.getInstance<{ request: object; response: object }>();
    const bounds = this.setup?.bounds;
    const serverOptions = {
      IncomingMessage: bornWithPrototype(IncomingMessage, app.request),
      ServerResponse: bornWithPrototype(ServerResponse, app.response) as unknown as typeof ServerResponse,
      ...(bounds && {
        headersTimeout: bounds.headersTimeoutMs,
        requestTimeout: bounds.requestTimeoutMs,
        keepAliveTimeout: bounds.keepAliveTimeoutMs,
        // Node checks those two deadlines every 30 s by default: a slow client would get up to 30 s more.
        connectionsCheckingInterval: Math.min(1_000, bounds.headersTimeoutMs),
      }),
    };
    const tls = this.setup?.tls;
    const server: Server = tls
      ? (createHttpsServer({ ...serverOptions, ...httpsOptionsOf(tls) }, this.getInstance()) as unknown as Server)
      : createServer(serverOptions, this.getInstance());
    if (bounds) {
      server.maxConnections = bounds.maxConnections;
      server.keepAliveTimeout = bounds.keepAliveTimeoutMs;
    }
    this.httpServer = server;
  }
}
