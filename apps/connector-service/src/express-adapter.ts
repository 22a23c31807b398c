import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { ExpressAdapter } from '@nestjs/platform-express';

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
  override initHttpServer(options: { httpsOptions?: unknown; forceCloseConnections?: boolean }): void {
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options as never);
    const app = this.getInstance<{ request: object; response: object }>();
    this.httpServer = createServer(
      {
        IncomingMessage: bornWithPrototype(IncomingMessage, app.request),
        ServerResponse: bornWithPrototype(ServerResponse, app.response) as unknown as typeof ServerResponse,
      },
      this.getInstance(),
    );
  }
}
