import type { AppConfig } from '@app/common/config/app-config';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { Connector } from '@app/connectors/connector';
import type { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import type { ServiceSettingsRepository } from '@app/database/service-settings.repository';
import { strictDouble } from '@app/testing/strict-double';
import { AccountScope } from './account-scope';
import { MappingScopeService } from './mapping-scope.service';

const connector = (descriptor: Partial<Connector['descriptor']> = {}) =>
  ({ descriptor: { name: 'stripe', accountIdentity: (credentials: Record<string, string>) => credentials.api_key, ...descriptor }, flows: {} }) as unknown as Connector;
const call = (api_key: string, testMode = true) => ({ credentials: { api_key }, baseUrl: 'https://api.stripe.com/', testMode });

describe(AccountScope.name, () => {
  let scope: MappingScopeService;
  beforeEach(async () => {
    scope = new MappingScopeService({ mappingScopeSecret: 's'.repeat(32) } as AppConfig, strictDouble<ServiceSettingsRepository>());
    await scope.onModuleInit();
  });

  it('keeps the credential scope where the processor names no account', async () => {
    const sut = new AccountScope(scope, strictDouble<ConnectorExecutor>({ supports: jest.fn(() => false) }));
    const stripe = connector();

    await expect(sut.of({ connector: stripe, credentials: { api_key: 'sk_test_1' } }, call('sk_test_1'))).resolves.toEqual({ current: scope.connectorAccount({ connector: stripe, credentials: { api_key: 'sk_test_1' } }) });
  });

  it('scopes by the account id the processor gives, once per key: a rotated key keeps the scope, the mode does not', async () => {
    const run = jest.fn().mockResolvedValue({ accountId: 'acct_1' });
    const sut = new AccountScope(scope, strictDouble<ConnectorExecutor>({ supports: jest.fn(() => true), run }));
    const stripe = connector();

    const before = (await sut.of({ connector: stripe, credentials: { api_key: 'sk_test_old' } }, call('sk_test_old')))!;
    const again = (await sut.of({ connector: stripe, credentials: { api_key: 'sk_test_old' } }, call('sk_test_old')))!;
    const rotated = (await sut.of({ connector: stripe, credentials: { api_key: 'sk_test_new' } }, call('sk_test_new')))!;
    const live = (await sut.of({ connector: stripe, credentials: { api_key: 'sk_live_1' } }, call('sk_live_1', false)))!;

    expect(rotated.current).toBe(before.current);
    expect(again.current).toBe(before.current);
    expect(live.current).not.toBe(before.current);
    expect(before.former).toBe(scope.connectorAccount({ connector: stripe, credentials: { api_key: 'sk_test_old' } }));
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('uses an account id the credentials carry without asking the processor', async () => {
    const sut = new AccountScope(scope, strictDouble<ConnectorExecutor>({ supports: jest.fn(() => true) }));
    const authorize = connector({ name: 'authorizedotnet', accountIdOf: (credentials) => credentials.name, accountIdentity: (credentials) => credentials.name });

    const scopes = (await sut.of({ connector: authorize, credentials: { name: 'login', transaction_key: 'k1' } }, { ...call('x'), credentials: { name: 'login', transaction_key: 'k1' } }))!;

    expect(scopes.current).toBe(scope.accountIdScope('authorizedotnet', 'login', true));
  });

  it('keeps the credential scope for a key the processor does not let read its account; any other refusal fails', async () => {
    const refused = (reason: ErrorReason) => jest.fn().mockRejectedValue(new DomainError(reason, 'refused'));
    const stripe = connector();
    const selection = { connector: stripe, credentials: { api_key: 'rk_test_1' } };
    const restricted = new AccountScope(scope, strictDouble<ConnectorExecutor>({ supports: jest.fn(() => true), run: refused(ErrorReason.ConnectorPermissionDenied) }));
    const unavailable = new AccountScope(scope, strictDouble<ConnectorExecutor>({ supports: jest.fn(() => true), run: refused(ErrorReason.ConnectorUnavailable) }));

    await expect(restricted.of(selection, call('rk_test_1'))).resolves.toEqual({ current: scope.connectorAccount(selection) });
    await expect(unavailable.of(selection, call('rk_test_1'))).rejects.toMatchObject({ reason: ErrorReason.ConnectorUnavailable });
  });

  it('does not remember a failed lookup', async () => {
    const run = jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce({ accountId: 'acct_1' });
    const sut = new AccountScope(scope, strictDouble<ConnectorExecutor>({ supports: jest.fn(() => true), run }));
    const selection = { connector: connector(), credentials: { api_key: 'sk_test_1' } };

    await expect(sut.of(selection, call('sk_test_1'))).rejects.toThrow('down');
    await expect(sut.of(selection, call('sk_test_1'))).resolves.toMatchObject({ current: scope.accountIdScope('stripe', 'acct_1', true) });
  });
});
