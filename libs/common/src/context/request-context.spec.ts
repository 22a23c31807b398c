import { currentRequestContext, registerSensitiveValues, runWithRequestContext, setRequestConnector, type RequestContext } from './request-context';

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
