import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';

export const NAMED_ACCOUNT_KEYS = {
  stripe: 'sk_test_51ProfilesStripeKey',
  mollie: 'test_Fx7mQ2rT9vK4nB8cW3yL6pD1sH5gJ0',
  paystack: 'sk_test_4f1c2a9e0b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a',
};

/** A CONNECTOR_ACCOUNTS_FILE with named accounts at three simulated processors and Adyen (which is never called). */
export function namedAccountsFile(sandbox: ProcessorSandbox): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'named-accounts-'));
  const file = path.join(dir, 'accounts.json');
  writeFileSync(
    file,
    JSON.stringify({
      'stripe-eu': { connector: 'stripe', config: { api_key: NAMED_ACCOUNT_KEYS.stripe, base_url: sandbox.baseUrl('stripe') } },
      'mollie-eu': { connector: 'mollie', config: { api_key: NAMED_ACCOUNT_KEYS.mollie, base_url: sandbox.baseUrl('mollie') } },
      'paystack-ng': { connector: 'paystack', config: { api_key: NAMED_ACCOUNT_KEYS.paystack, base_url: sandbox.baseUrl('paystack') } },
      'adyen-eu': { connector: 'adyen', config: { api_key: 'AQEyhmfxProfilesAdyenKey', merchant_account: 'ProfilesECOM' } },
    }),
  );
  return file;
}
