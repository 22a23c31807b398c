import type { SimulatorName } from './processor-sandbox';
import { CYBERSOURCE_SANDBOX_KEYS } from './simulators/cybersource.simulator';

/** One processor as a newcomer tries it against `npm run sandbox`. */
export interface SandboxAccount {
  /** The `x-connector-config` variant. */
  variant: string;
  /** Its simulator; absent for a processor the service never calls (Adyen). */
  simulator?: SimulatorName;
  /** Credentials its simulator accepts (made up; no real account behind them). */
  credentials: Record<string, string>;
  /** The path below the simulator's mount that the connector's `base_url` must name, as the real base URL does. */
  basePath?: string;
}

const cybersourceKey = CYBERSOURCE_SANDBOX_KEYS[0];

/** Every processor with credentials its simulator accepts: what `npm run sandbox` prints. */
export const SANDBOX_ACCOUNTS: readonly SandboxAccount[] = [
  { variant: 'Stripe', simulator: 'stripe', credentials: { api_key: 'sk_test_SandboxStripeKey01' } },
  { variant: 'Adyen', credentials: { api_key: 'AQE_sandbox_adyen_key', merchant_account: 'SandboxMerchantECOM' } },
  { variant: 'Airwallex', simulator: 'airwallex', credentials: { client_id: 'SandboxAirwallexClient', api_key: 'sandbox-airwallex-api-key' }, basePath: 'api/v1' },
  // Authorize.net's base URL is the whole endpoint.
  { variant: 'Authorizedotnet', simulator: 'authorizedotnet', credentials: { name: 'sandboxLogin01', transaction_key: 'SandboxTxnKey016' }, basePath: 'xml/v1/request.api' },
  { variant: 'Braintree', simulator: 'braintree', credentials: { public_key: 'sandboxpublic001', private_key: '5a4db0c05a4db0c05a4db0c05a4db0c0', merchant_account_id: 'sandbox_usd' } },
  { variant: 'Checkout', simulator: 'checkout', credentials: { api_key: 'sk_sbox_sandboxcheckoutkeyforthedev' } },
  { variant: 'Cybersource', simulator: 'cybersource', credentials: { api_key: cybersourceKey.keyId, merchant_account: cybersourceKey.merchantId, api_secret: cybersourceKey.sharedSecret } },
  {
    variant: 'Finix',
    simulator: 'finix',
    credentials: { finix_user_name: 'USsandboxFinixUser01', finix_password: 'sandbox-finix-password', merchant_id: 'MUsandboxFinixMerchant1', merchant_identity_id: 'IDsandboxFinixIdentity1' },
  },
  { variant: 'Mollie', simulator: 'mollie', credentials: { api_key: 'test_SandboxMollieKey4010abcdefghij' } },
  { variant: 'Paystack', simulator: 'paystack', credentials: { api_key: 'sk_test_sandboxpaystack4010' } },
  { variant: 'Razorpay', simulator: 'razorpay', credentials: { key_id: 'rzp_test_SandboxRzpKey1', key_secret: 'sandbox-razorpay-secret' } },
  { variant: 'Shift4', simulator: 'shift4', credentials: { api_key: 'sk_test_SandboxShift4Key' } },
  { variant: 'Square', simulator: 'square', credentials: { access_token: 'EAAAsandboxAccessToken4010' } },
  { variant: 'Stax', simulator: 'stax', credentials: { api_key: 'eyJhbGciOiJIUzI1NiJ9.eyJzYW5kYm94Ijp0cnVlfQ.c2FuZGJveA' } },
];

/** The `x-connector-config` header that selects `account` on the sandbox at `sandboxUrl`. */
export function sandboxConfigHeader(sandboxUrl: string, account: SandboxAccount): string {
  const baseUrl = account.simulator && `${sandboxUrl}/${account.simulator}/${account.basePath ?? ''}`;
  return JSON.stringify({ config: { [account.variant]: { ...account.credentials, ...(baseUrl && { base_url: baseUrl }) } } });
}

/** A body every processor takes (Checkout, Paystack and Shift4 need an email; Razorpay a name of 3+ letters). */
export const TRY_IT_BODY = '{"merchant_customer_id":"try-1","customer_name":"Ann Lee","email":"ann@example.com","test_mode":true}';

/** What `npm run sandbox` prints once listening: how to start the service, then one header and one curl per processor. */
export function sandboxInstructions(sandboxUrl: string): string {
  const width = Math.max(...SANDBOX_ACCOUNTS.map((a) => a.variant.length));
  return [
    '',
    'Start the service allowing it to call the sandbox:',
    `  CONNECTOR_BASE_URL_ALLOWLIST=${sandboxUrl} npm start`,
    '',
    'x-connector-config per processor (credentials its simulator accepts):',
    ...SANDBOX_ACCOUNTS.map((account) => `  ${account.variant.padEnd(width)}  x-connector-config: ${sandboxConfigHeader(sandboxUrl, account)}`),
    '',
    'Try one (any of the headers above):',
    `  curl -s localhost:3000/v1/customers -H 'content-type: application/json' -H 'x-connector-config: ${sandboxConfigHeader(sandboxUrl, SANDBOX_ACCOUNTS[0])}' -d '${TRY_IT_BODY}'`,
    '',
  ].join('\n');
}
