import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useE2eEnvironment } from '../support/e2e-environment';
import { uniqueCustomerId } from '../support/expectations';
import { lifecycle } from '../support/lifecycle-client';

const dir = mkdtempSync(path.join(os.tmpdir(), 'profiles-'));
const accountsFile = path.join(dir, 'accounts.json');
writeFileSync(accountsFile, '{}');

describe('profiles smoke', () => {
  const env = useE2eEnvironment('sqlite', { CONNECTOR_ACCOUNTS_FILE: accountsFile });
  beforeAll(async () => {
    writeFileSync(accountsFile, JSON.stringify({
      'stripe-eu': { connector: 'stripe', config: { api_key: 'sk_test_profilesSmoke01', base_url: env.sandbox.baseUrl('stripe') } },
      'adyen-eu': { connector: 'adyen', config: { api_key: 'AQEsmokeKey', merchant_account: 'SmokeECOM' } },
    }));
    await env.app.service.reloadConnectorAccounts();
  });

  it('creates at two accounts, lists, erases', async () => {
    const id = uniqueCustomerId();
    const created = await lifecycle(env.app, 'rest', 'createProfiles', { merchant_customer_id: id, accounts: ['stripe-eu', 'adyen-eu'], email: 'ann@example.com', test_mode: true }, { 'idempotency-key': `k-${id}` });
    console.log(JSON.stringify(created.body ?? created.message, null, 1));
    const again = await lifecycle(env.app, 'grpc', 'createProfiles', { merchant_customer_id: id, accounts: ['stripe-eu', 'adyen-eu'], email: { value: 'ann@example.com' }, test_mode: true }, { 'idempotency-key': `k-${id}` });
    console.log(JSON.stringify(again.body ?? again.message, null, 1));
    const listed = await lifecycle(env.app, 'grpc', 'listProfiles', { merchant_customer_id: id, live: true });
    console.log(JSON.stringify(listed.body ?? listed.message, null, 1));
    const erased = await lifecycle(env.app, 'rest', 'eraseProfiles', { merchant_customer_id: id });
    console.log(JSON.stringify(erased.body ?? erased.message, null, 1));
    const after = await lifecycle(env.app, 'rest', 'listProfiles', { merchant_customer_id: id });
    console.log(JSON.stringify(after.body ?? after.message, null, 1));
    expect(created.ok).toBe(true);
  });
});
