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

  it('lets one trial call through while half open, and opens again when it fails', async () => {
    jest.useFakeTimers();
    await failTimes('https://e.example', 4, async () => answer(500));
    jest.advanceTimersByTime(settings.resetTimeoutMs + 1);
    let answerTrial!: (response: InboundResponse) => void;
    const trial = sut.run('stripe', 'https://e.example', () => new Promise<InboundResponse>((resolve) => (answerTrial = resolve)));
    const second = jest.fn(async () => answer(200));
    await expect(sut.run('stripe', 'https://e.example', second)).rejects.toMatchObject({ details: { connector: { code: 'circuit_open' } } });
    expect(second).not.toHaveBeenCalled();
    expect(sut.states()).toEqual([{ connector: 'stripe', origin: 'https://e.example', state: 'half_open' }]);

    answerTrial(answer(503));
    await expect(trial).resolves.toEqual(answer(503));
    expect(sut.states()).toEqual([{ connector: 'stripe', origin: 'https://e.example', state: 'open' }]);
    jest.useRealTimers();
  });

  it('judges only the calls of the rolling window', async () => {
    jest.useFakeTimers();
    await failTimes('https://f.example', 3, async () => answer(500));
    jest.advanceTimersByTime(settings.rollingWindowMs + 1);
    await failTimes('https://f.example', 3, async () => answer(500));
    expect(sut.states()).toEqual([{ connector: 'stripe', origin: 'https://f.example', state: 'closed' }]);
    await failTimes('https://f.example', 1, async () => answer(500));
    expect(sut.states()).toEqual([{ connector: 'stripe', origin: 'https://f.example', state: 'open' }]);
    jest.useRealTimers();
  });

  it('opens only above the error share: half the window failing keeps it closed', async () => {
    for (let i = 0; i < 4; i += 1) await sut.run('stripe', 'https://g.example', async () => answer(200));
    await failTimes('https://g.example', 4, async () => answer(500));
    expect(sut.states()).toEqual([{ connector: 'stripe', origin: 'https://g.example', state: 'closed' }]);
  });
});
