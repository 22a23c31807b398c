/**
 * A test double that fails on any call not scripted: `strictDouble<Repo>({ findByKey: jest.fn()… })`.
 * Reading an unscripted method throws, so an unexpected collaboration fails the test.
 */
export function strictDouble<T extends object>(scripted: Partial<Record<keyof T, unknown>> = {}): jest.Mocked<T> {
  return new Proxy(scripted as object, {
    get(target, property) {
      if (property in target) return (target as Record<PropertyKey, unknown>)[property];
      if (property === 'then' || typeof property === 'symbol') return undefined;
      throw new Error(`unexpected call: ${String(property)}`);
    },
  }) as jest.Mocked<T>;
}
