import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { CircuitBreakers } from './circuit-breakers';
import type { InboundResponse } from '../http/processor-http';

const answer = (status: number): InboundResponse => ({ status, headers: {}, body: '{}' });
const settings = { errorThresholdPercentage: 50, volumeThreshold: 4, rollingWindowMs: 10_000, resetTimeoutMs: 200 };

describe(CircuitBreakers.name, () => {
  let sut: CircuitBreakers;
  beforeEach(() => (sut = new CircuitBreakers(settings)));
  afterEach(() => sut.shutdown());

  const failTimes = async (origin: string, times: number, failure: () => Promise<InboundResponse>) => {
    for (let i = 0; i < times; i += 1) await sut.run('stripe', origin, failure).catch(() => undefined);
  };

  it('returns 5xx answers to the caller while counting them, and opens after enough of them', async () => {
    await expect(sut.run('stripe', 'https://a.example', async () => answer(503))).resolves.toEqual(answer(503));
    await failTimes('https://a.example', 3, async () => answer(503));
    const action = jest.fn(async () => answer(200));

    await expect(sut.run('stripe', 'https://a.example', action)).rejects.toMatchObject({
      reason: ErrorReason.ConnectorUnavailable,
      details: { connector: { connector: 'stripe', code: 'circuit_open' }, outcomeUnknown: false, retryAfterSeconds: 1 },
    });
    expect(action).not.toHaveBeenCalled();
    expect(sut.states()).toEqual([{ connector: 'stripe', origin: 'https://a.example', state: 'open' }]);
  });

  it('counts transport failures and timeouts, not 4xx answers', async () => {
    await failTimes('https://b.example', 10, async () => answer(422));
    await expect(sut.run('stripe', 'https://b.example', async () => answer(201))).resolves.toEqual(answer(201));

    await failTimes('https://c.example', 4, async () => {
      throw new DomainError(ErrorReason.ConnectorTimeout, 'no answer', { outcomeUnknown: true });
    });
    await expect(sut.run('stripe', 'https://c.example', async () => answer(200))).rejects.toMatchObject({ details: { connector: { code: 'circuit_open' } } });
  });

  it('keeps processors apart: one failing origin does not stop another', async () => {
    await failTimes('https://down.example', 4, async () => answer(500));

    await expect(sut.run('stripe', 'https://up.example', async () => answer(200))).resolves.toEqual(answer(200));
  });

  it('lets a trial call through after the reset time and closes when it succeeds', async () => {
    jest.useFakeTimers();
    await failTimes('https://d.example', 4, async () => answer(502));
    jest.advanceTimersByTime(settings.resetTimeoutMs + 1);
    jest.useRealTimers();

    await expect(sut.run('stripe', 'https://d.example', async () => answer(200))).resolves.toEqual(answer(200));
    expect(sut.states()).toEqual([{ connector: 'stripe', origin: 'https://d.example', state: 'closed' }]);
  });
});
