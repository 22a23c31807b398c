import { registeredConnectors } from '@app/testing/connectors/registered-connectors';
import { ConnectorRegistry } from './connector-registry';
import { LEGACY_AUTH_HEADERS } from './connector';

describe(ConnectorRegistry.name, () => {
  const sut = new ConnectorRegistry(registeredConnectors());

  it('finds Stripe by its x-connector name and its x-connector-config variant', () => {
    expect(sut.byConnectorName('stripe')?.descriptor.displayName).toBe('Stripe');
    expect(sut.byConfigVariant('Stripe')?.descriptor.name).toBe('stripe');
    expect(sut.names()).toContain('stripe');
    expect(sut.variants()).toContain('Stripe');
  });

  it.each([
    ['an unknown name', () => sut.byConnectorName('worldpay')],
    ['a name in the wrong case', () => sut.byConnectorName('Stripe')],
    ['an Object property', () => sut.byConnectorName('constructor')],
    ['an unknown variant', () => sut.byConfigVariant('Worldpay')],
  ])('finds nothing for %s', (_case, lookup) => {
    expect(lookup()).toBeUndefined();
  });
});

describe(registeredConnectors.name, () => {
  const connectors = registeredConnectors();

  it('registers each name and variant once', () => {
    expect(new Set(connectors.map((c) => c.descriptor.name)).size).toBe(connectors.length);
    expect(new Set(connectors.map((c) => c.descriptor.configVariant)).size).toBe(connectors.length);
  });

  it.each(connectors.map((c) => [c.descriptor.name, c] as const))('%s declares a usable descriptor', (_name, connector) => {
    const { name, configVariant, baseUrls, legacyAuth, credentialFields } = connector.descriptor;

    expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(configVariant).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    expect(new URL(baseUrls.sandbox).protocol).toBe('https:');
    expect(new URL(baseUrls.live).protocol).toBe('https:');
    for (const [header, field] of Object.entries(legacyAuth.fields)) {
      expect(LEGACY_AUTH_HEADERS[legacyAuth.type]).toContain(header);
      expect(credentialFields.map((f) => f.name)).toContain(field);
    }
  });
});
