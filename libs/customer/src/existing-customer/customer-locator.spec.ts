import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { BaseUrlPolicy } from '@app/connectors/base-url-policy';
import type { Connector } from '@app/connectors/connector';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import type { CustomerMapping } from '@app/database/mappings/customer-mapping';
import type { CustomerMappingStore } from '@app/database/mappings/customer-mapping.store';
import { strictDouble } from '@app/testing/strict-double';
import type { AccountScope } from '../mapping/account-scope';
import type { MappingScopeService } from '../mapping/mapping-scope.service';
import { CustomerLocator } from './customer-locator';

const SANDBOX = 'https://sandbox.example.test/';
const LIVE = 'https://live.example.test/';
const scopeOf = (testMode: boolean) => (testMode ? 'scope-test' : 'scope-live');

const mappingIn = (testMode: boolean): CustomerMapping => ({
  id: '01900000-0000-7000-8000-000000000001',
  tenantId: 't',
  merchantId: 'm',
  connector: 'square',
  connectorAccount: scopeOf(testMode),
  merchantCustomerId: 'user-42',
  connectorCustomerId: 'CUS_1',
  status: 'active',
  idempotencyKey: 'key',
  testMode,
  leaseExpiresAt: null,
  attempts: 1,
  profileFingerprint: 'fp',
  erasedAt: null,
  createdAt: new Date(),
  updatedAt: new Date(),
});

/**
 * Prism's Get, Update and Delete carry no test_mode: the locator finds a customer created in either
 * mode where the credentials do not tell, and calls the processor in the customer's mode.
 */
describe(CustomerLocator.name, () => {
  const build = ({ testModeOf, held, accountOf }: { testModeOf?: boolean; held: CustomerMapping[]; accountOf?: (testMode: boolean) => Promise<{ current: string }> }) => {
    const connector = { descriptor: { name: 'square', displayName: 'Square', testModeOf: () => testModeOf } } as unknown as Connector;
    const selection = { connector, credentials: { access_token: 'token' } } as unknown as ConnectorSelection;
    const store = strictDouble<CustomerMappingStore>({
      findByKey: jest.fn(async (key: { connectorAccount: string }) => held.find((mapping) => mapping.connectorAccount === key.connectorAccount) ?? null),
    });
    const accounts = { of: jest.fn((_selection: ConnectorSelection, call: { testMode: boolean }) => (accountOf ?? (async (testMode: boolean) => ({ current: scopeOf(testMode) })))(call.testMode)) };
    const baseUrls = { resolve: (_c: unknown, _cr: unknown, _o: unknown, testMode: boolean) => (testMode ? SANDBOX : LIVE) } as unknown as BaseUrlPolicy;
    const scope = { customerReference: () => 'reference' } as unknown as MappingScopeService;
    const sut = new CustomerLocator(store, accounts as unknown as AccountScope, scope, baseUrls);
    const locate = () => sut.locate({ scope: { tenantId: 't', merchantId: 'm' }, selection, merchantCustomerId: 'user-42' });
    return { store, accounts, locate };
  };

  it('looks only in the mode the credentials tell', async () => {
    const { store, locate } = build({ testModeOf: true, held: [mappingIn(true)] });

    await expect(locate()).resolves.toMatchObject({ call: { baseUrl: SANDBOX, testMode: true, connectorCustomerId: 'CUS_1' } });
    expect(store.findByKey).toHaveBeenCalledTimes(1);
  });

  it('finds a customer created in test mode with credentials that do not tell the mode, and calls its sandbox', async () => {
    const { store, locate } = build({ held: [mappingIn(true)] });

    await expect(locate()).resolves.toMatchObject({ call: { baseUrl: SANDBOX, testMode: true, connectorCustomerId: 'CUS_1' } });
    expect(store.findByKey).toHaveBeenCalledTimes(2);
  });

  it('looks in live first: a live customer costs one lookup', async () => {
    const { store, locate } = build({ held: [mappingIn(false)] });

    await expect(locate()).resolves.toMatchObject({ call: { baseUrl: LIVE, testMode: false } });
    expect(store.findByKey).toHaveBeenCalledTimes(1);
  });

  it('rules out a mode whose who-am-I refuses the credentials (they are the other environment’s)', async () => {
    const refused = new DomainError(ErrorReason.ConnectorAuthenticationFailed, 'Square returned HTTP 401');
    const { locate } = build({ held: [mappingIn(true)], accountOf: async (testMode) => (testMode ? { current: scopeOf(true) } : Promise.reject(refused)) });

    await expect(locate()).resolves.toMatchObject({ call: { baseUrl: SANDBOX, testMode: true } });
  });

  it('does not read an outage of one mode’s who-am-I as the customer being absent', async () => {
    const outage = new DomainError(ErrorReason.ConnectorUnavailable, 'Square is unavailable');
    const { locate } = build({ held: [mappingIn(true)], accountOf: async (testMode) => (testMode ? { current: scopeOf(true) } : Promise.reject(outage)) });

    await expect(locate()).rejects.toBe(outage);
  });

  it('answers MAPPING_NOT_FOUND when neither mode holds the customer', async () => {
    const { locate } = build({ held: [] });

    await expect(locate()).rejects.toMatchObject({ reason: ErrorReason.MappingNotFound });
  });
});
