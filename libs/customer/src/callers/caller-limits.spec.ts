import type { AppConfig } from '@app/common/config/app-config';
import type { CallerKey } from './caller-keys';
import { CallerLimits } from './caller-limits';

const caller = (name: string, rateLimit?: CallerKey['rateLimit']): CallerKey =>
  ({ name, tenant: 't', digest: Buffer.alloc(32), scopes: new Set(), accounts: new Set(), inlineCredentials: false, ...(rateLimit && { rateLimit }) }) as CallerKey;

describe(CallerLimits.name, () => {
  let now: number;
  let sut: CallerLimits;

  beforeEach(() => {
    now = 1_000_000;
    sut = new CallerLimits({ callerMaxConcurrentRequests: 2 } as AppConfig);
    sut.now = () => now;
  });

  it('admits a key’s requests up to the concurrency bound, and again once one ends', () => {
    const first = sut.admit(caller('a'));
    const second = sut.admit(caller('a'));
    const third = sut.admit(caller('a'));
    const otherKey = sut.admit(caller('b'));

    expect([first.admitted, second.admitted, third.admitted, otherKey.admitted]).toEqual([true, true, false, true]);
    expect(third).toEqual({ admitted: false, why: 'concurrency', retryAfterSeconds: 1 });
    if (first.admitted) {
      first.release();
      first.release();
    }
    expect(sut.inFlightOf('a')).toBe(1);
    expect(sut.admit(caller('a')).admitted).toBe(true);
  });

  it('spends a token bucket of the key’s rate, refilled continuously, and says when to retry', () => {
    const limited = caller('a', { requests: 2, periodMs: 60_000 });
    const release = (admission: ReturnType<CallerLimits['admit']>) => admission.admitted && admission.release();

    release(sut.admit(limited));
    release(sut.admit(limited));
    const refused = sut.admit(limited);
    now += 30_000;
    const refilled = sut.admit(limited);

    expect(refused).toEqual({ admitted: false, why: 'rate', retryAfterSeconds: 30 });
    expect(refilled.admitted).toBe(true);
  });

  it('starts a new bucket when the key’s rate changes (a reload)', () => {
    const release = (admission: ReturnType<CallerLimits['admit']>) => admission.admitted && admission.release();
    release(sut.admit(caller('a', { requests: 1, periodMs: 60_000 })));

    expect(sut.admit(caller('a', { requests: 1, periodMs: 60_000 })).admitted).toBe(false);
    expect(sut.admit(caller('a', { requests: 5, periodMs: 60_000 })).admitted).toBe(true);
  });
});
