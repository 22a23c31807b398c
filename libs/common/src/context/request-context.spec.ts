import {
  addProcessorTime,
  attachRequestContext,
  currentRequestContext,
  recordRequestFailure,
  registerSensitiveValues,
  requestContextOf,
  requestFailureOf,
  runWithRequestContext,
  setRequestConnector,
  setRequestOutcome,
  type RequestContext,
} from './request-context';

const newContext = (): RequestContext => ({ requestId: 'req-1', transport: 'http', sensitiveValues: new Set() });

describe(registerSensitiveValues.name, () => {
  it('keeps values of 4 or more characters and ignores shorter or missing ones', () => {
    const context = newContext();

    runWithRequestContext(context, () => registerSensitiveValues('sk_test_1', 'abcd', 'abc', 'US', '', undefined, null));

    expect([...context.sensitiveValues]).toEqual(['sk_test_1', 'abcd']);
  });

  it('does nothing outside a request', () => {
    expect(() => registerSensitiveValues('sk_test_1')).not.toThrow();
    expect(currentRequestContext()).toBeUndefined();
  });

  it('keeps each request’s values apart, across awaits', async () => {
    const first = newContext();
    const second = newContext();

    await Promise.all([
      runWithRequestContext(first, async () => {
        await Promise.resolve();
        registerSensitiveValues('first-secret');
      }),
      runWithRequestContext(second, async () => registerSensitiveValues('second-secret')),
    ]);

    expect([...first.sensitiveValues]).toEqual(['first-secret']);
    expect([...second.sensitiveValues]).toEqual(['second-secret']);
  });
});

describe(setRequestConnector.name, () => {
  it('names the connector of the current request only', () => {
    const context = newContext();

    runWithRequestContext(context, () => setRequestConnector('stripe'));
    setRequestConnector('ignored');

    expect(context.connector).toBe('stripe');
  });
});

describe(addProcessorTime.name, () => {
  it('sums the processor calls of the current request only', () => {
    const context = newContext();

    runWithRequestContext(context, () => {
      addProcessorTime(12.5);
      addProcessorTime(30);
      setRequestOutcome('created');
    });
    addProcessorTime(1000);

    expect(context).toMatchObject({ processorMs: 42.5, outcome: 'created' });
  });
});

describe(attachRequestContext.name, () => {
  it('lets the transport object carry the context and the error reason', () => {
    const carrier = {};
    const context = newContext();

    attachRequestContext(carrier, context);
    recordRequestFailure(carrier, 'VALIDATION_FAILED');

    expect(requestContextOf(carrier)).toBe(context);
    expect(requestFailureOf(carrier)).toBe('VALIDATION_FAILED');
    expect(requestContextOf({})).toBeUndefined();
    expect(Object.keys(carrier)).toEqual([]);
  });
});
