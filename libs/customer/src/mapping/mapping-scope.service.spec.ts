import { createHmac } from 'node:crypto';
import type { AppConfig } from '@app/common/config/app-config';
import type { Connector } from '@app/connectors/connector';
import { StripeConnector } from '@app/connectors/stripe/stripe.connector';
import type { ServiceSettingsRepository } from '@app/database/service-settings.repository';
import { strictDouble } from '@app/testing/strict-double';
import { MappingScopeService } from './mapping-scope.service';

const SECRET = 's'.repeat(32);

describe(MappingScopeService.name, () => {
  const stripe: Connector = new StripeConnector();
  let sut: MappingScopeService;

  beforeEach(async () => {
    sut = new MappingScopeService({ mappingScopeSecret: SECRET } as AppConfig, strictDouble<ServiceSettingsRepository>());
    await sut.onModuleInit();
  });

  it('scopes credentials by HMAC of the connector and its account identity, as before named accounts', () => {
    const expected = createHmac('sha256', SECRET).update('stripe').update('\0').update('sk_test_ScopeKey0001').digest('hex');

    expect(sut.connectorAccount({ connector: stripe, credentials: { api_key: 'sk_test_ScopeKey0001' } })).toBe(expected);
  });

  it('scopes a named account by its name: rotating its key keeps its mappings', () => {
    const before = sut.connectorAccount({ connector: stripe, credentials: { api_key: 'sk_test_OldKey000001' }, accountName: 'stripe-eu' });
    const after = sut.connectorAccount({ connector: stripe, credentials: { api_key: 'sk_test_NewKey000002' }, accountName: 'stripe-eu' });

    expect(after).toBe(before);
    expect(after).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps named accounts apart from each other and from credential scopes', () => {
    const credentials = { api_key: 'stripe-eu' };
    const scopes = [
      sut.connectorAccount({ connector: stripe, credentials, accountName: 'stripe-eu' }),
      sut.connectorAccount({ connector: stripe, credentials, accountName: 'stripe-us' }),
      sut.connectorAccount({ connector: stripe, credentials }),
    ];

    expect(new Set(scopes).size).toBe(3);
  });
});
