import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import type { CallerKey, RateLimit } from './caller-keys';

interface Bucket {
  limit: RateLimit;
  tokens: number;
  updatedAt: number;
}

export type Admission = { admitted: true; release: () => void } | { admitted: false; why: 'rate' | 'concurrency'; retryAfterSeconds: number };

/**
 * Per caller key: a token bucket (the key's `rate_limit`, refilled continuously, its size the
 * burst) and a bound on requests in flight (CALLER_MAX_CONCURRENT_REQUESTS). Kept per caller
 * name in this process, so a reload keeps the counts; each instance counts its own.
 */
@Injectable()
export class CallerLimits {
  private readonly buckets = new Map<string, Bucket>();
  private readonly inFlight = new Map<string, number>();

  /** The clock (replaced in tests). */
  now: () => number = Date.now;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  admit(caller: CallerKey): Admission {
    const inFlight = this.inFlight.get(caller.name) ?? 0;
    if (inFlight >= this.config.callerMaxConcurrentRequests) return { admitted: false, why: 'concurrency', retryAfterSeconds: 1 };
    if (caller.rateLimit) {
      const bucket = this.bucketOf(caller.name, caller.rateLimit);
      if (bucket.tokens < 1) {
        const msPerToken = bucket.limit.periodMs / bucket.limit.requests;
        return { admitted: false, why: 'rate', retryAfterSeconds: Math.max(1, Math.ceil(((1 - bucket.tokens) * msPerToken) / 1000)) };
      }
      bucket.tokens -= 1;
    }
    this.inFlight.set(caller.name, inFlight + 1);
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inFlight.get(caller.name) ?? 1) - 1;
        if (left <= 0) this.inFlight.delete(caller.name);
        else this.inFlight.set(caller.name, left);
      },
    };
  }

  inFlightOf(name: string): number {
    return this.inFlight.get(name) ?? 0;
  }

  private bucketOf(name: string, limit: RateLimit): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(name);
    if (!bucket || bucket.limit.requests !== limit.requests || bucket.limit.periodMs !== limit.periodMs) {
      bucket = { limit, tokens: limit.requests, updatedAt: now };
      this.buckets.set(name, bucket);
      return bucket;
    }
    const refill = ((now - bucket.updatedAt) / limit.periodMs) * limit.requests;
    bucket.tokens = Math.min(limit.requests, bucket.tokens + refill);
    bucket.updatedAt = now;
    return bucket;
  }
}
