import { Inject, Injectable, Optional } from '@nestjs/common';

/** Injection token of the clock (epoch milliseconds) that token lifetimes and signatures read; tests pin it. */
export const CLOCK = 'CONNECTOR_CLOCK';
export type Clock = () => number;

export interface AccessToken {
  token: string;
  expiresAtMs: number;
}

/**
 * Login tokens of processors that issue them (Airwallex), by a key the connector derives from the
 * credentials and endpoint (a hash: no credential is held as a key). Shared by every request, so
 * one login serves many calls and concurrent requests share one login in flight.
 */
@Injectable()
export class AccessTokenCache {
  private readonly tokens = new Map<string, AccessToken>();
  private readonly logins = new Map<string, Promise<AccessToken>>();

  constructor(@Optional() @Inject(CLOCK) readonly now: Clock = Date.now) {}

  /** The cached token when it stays valid for at least `marginMs` more. */
  fresh(key: string, marginMs: number): AccessToken | undefined {
    const cached = this.tokens.get(key);
    return cached && this.now() < cached.expiresAtMs - marginMs ? cached : undefined;
  }

  /** A new token from `login`; concurrent callers for the same key share one login. */
  obtain(key: string, login: () => Promise<AccessToken>): Promise<AccessToken> {
    let pending = this.logins.get(key);
    if (!pending) {
      pending = login()
        .then((token) => {
          this.remember(key, token);
          return token;
        })
        .finally(() => this.logins.delete(key));
      this.logins.set(key, pending);
    }
    return pending;
  }

  /** Drops `token` if it is still the one cached (the processor refused it). */
  forget(key: string, token: string): void {
    if (this.tokens.get(key)?.token === token) this.tokens.delete(key);
  }

  private remember(key: string, token: AccessToken): void {
    const now = this.now();
    for (const [cachedKey, cached] of this.tokens) if (cached.expiresAtMs <= now) this.tokens.delete(cachedKey);
    this.tokens.set(key, token);
  }
}
