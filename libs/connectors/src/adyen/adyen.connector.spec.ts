import type { AppConfig } from '@app/common/config/app-config';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { ErrorReason } from '@app/common/errors/error-reason';
import { BaseUrlPolicy } from '../base-url-policy';
import { driving, type DrivenConnector } from '@app/testing/connectors/connector-driver';
import type { ConnectorHttpClient } from '../http/connector-http-client';
import { callBuilder } from '@app/testing/connectors/connector-spec-helpers';
import { FULL_CUSTOMER } from '@app/testing/connectors/connector-test-fixture';
import { AdyenConnector } from './adyen.connector';
import { ADYEN_SHOPPER_REFERENCE_LIMITS, toAdyenShopperReference } from './adyen.transformers';

const REFERENCE = 'k3v7q2mxw4pa5rjt6zbn2cdy7e';
const CREDENTIALS = { api_key: 'AQEyhmfxSpecAdyenKey', merchant_account: 'SpecMerchantECOM' };

const minimalCustomer: CustomerProfile = { merchantCustomerId: 'mcid-1', metadata: {}, featureData: {} };

const callFor = callBuilder({ credentials: CREDENTIALS, baseUrl: 'https://checkout-test.adyen.com/', reference: REFERENCE });

/** An HTTP client whose every use fails the test: Adyen must not be called. */
function untouchableHttp(): { http: ConnectorHttpClient; touched: string[] } {
  const touched: string[] = [];
  const http = new Proxy({} as ConnectorHttpClient, {
    get(_target, property) {
      touched.push(String(property));
      throw new Error(`the HTTP client was used (${String(property)})`);
    },
  });
  return { http, touched };
}

describe(AdyenConnector.name, () => {
  // Through the interface, as the service calls it: with an HTTP client it must leave alone.
  const sut: DrivenConnector = driving(new AdyenConnector());

  describe('createCustomer', () => {
    it.each<[string, CustomerProfile]>([
      ['a full customer', FULL_CUSTOMER],
      ['a minimal customer', minimalCustomer],
    ])('answers %s with the shopperReference cs_<reference>, HTTP 200 and no headers, without any call', async (_case, customer) => {
      const { http, touched } = untouchableHttp();

      await expect(sut.createCustomer(callFor(customer), http)).resolves.toEqual({
        connectorCustomerId: `cs_${REFERENCE}`,
        httpStatus: 200,
        responseHeaders: {},
      });
      expect(touched).toEqual([]);
    });

    it('gives every attempt of one mapping the same reference, whatever the idempotency key or customer data', async () => {
      const { http } = untouchableHttp();

      const first = await sut.createCustomer(callFor(FULL_CUSTOMER, { idempotencyKey: 'key-1' }), http);
      const second = await sut.createCustomer(callFor({ ...FULL_CUSTOMER, email: 'changed@example.com' }, { idempotencyKey: 'key-2' }), http);

      expect(second.connectorCustomerId).toBe(first.connectorCustomerId);
    });

    it('gives different mappings different references', async () => {
      const { http } = untouchableHttp();

      const one = await sut.createCustomer(callFor(minimalCustomer), http);
      const other = await sut.createCustomer(callFor(minimalCustomer, { reference: 'aaaaaaaaaaaaaaaaaaaaaaaaaa' }), http);

      expect(one.connectorCustomerId).not.toBe(other.connectorCustomerId);
    });

    it('keeps the merchant’s id and personal data out of the reference (Adyen forbids PII in it)', async () => {
      const { http } = untouchableHttp();
      const customer: CustomerProfile = { ...FULL_CUSTOMER, merchantCustomerId: 'ann.lee@example.com' };

      const { connectorCustomerId } = await sut.createCustomer(callFor(customer), http);

      for (const personal of [customer.merchantCustomerId, customer.name!, customer.email!, customer.phone!]) expect(connectorCustomerId).not.toContain(personal);
      expect(connectorCustomerId).toMatch(/^cs_[a-z2-7]{26}$/);
    });
  });

  describe(toAdyenShopperReference.name, () => {
    it('stays within Adyen’s shopperReference length', () => {
      const reference = toAdyenShopperReference(REFERENCE);

      expect(reference.length).toBeGreaterThanOrEqual(ADYEN_SHOPPER_REFERENCE_LIMITS.min);
      expect(reference.length).toBeLessThanOrEqual(ADYEN_SHOPPER_REFERENCE_LIMITS.max);
      expect(reference).toHaveLength(29);
    });
  });

  describe('validateCustomer', () => {
    it.each<[string, CustomerProfile]>([
      ['a full customer', FULL_CUSTOMER],
      ['values no processor would take', { ...minimalCustomer, name: 'n'.repeat(512), metadata: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v'.repeat(1000)])) }],
    ])('refuses nothing for %s: nothing is sent', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });
  });

  describe('descriptor', () => {
    it('declares that nothing is sent and which fields Adyen does not keep', () => {
      const { capabilities } = sut.connector.descriptor;

      expect(capabilities.fieldsSent[0]).toMatch(/^nothing/);
      expect(capabilities.fieldsSent.join(' ')).toMatch(/customer_name, email, phone_number, address, metadata → not stored at Adyen/);
      expect(capabilities.replaysSafely).toBe(true);
      expect(capabilities.limits).toEqual([]);
    });

    it('takes Prism’s Adyen variant, the API key as the only secret besides review_key', () => {
      expect(sut.connector.descriptor.configVariant).toBe('Adyen');
      expect(sut.connector.descriptor.credentialFields).toEqual([
        { name: 'api_key', required: true, secret: true },
        { name: 'merchant_account', required: true, secret: false },
        { name: 'review_key', required: false, secret: true },
        { name: 'dispute_base_url', required: false, secret: false },
        { name: 'endpoint_prefix', required: false, secret: false },
      ]);
      expect(sut.connector.descriptor.legacyAuth).toEqual({ type: 'body-key', fields: { 'x-api-key': 'api_key', 'x-key1': 'merchant_account' } });
    });
  });

  describe('testModeOf', () => {
    it.each<[string, Record<string, string>, boolean | undefined]>([
      ['a live endpoint prefix: live', { ...CREDENTIALS, endpoint_prefix: '1797a841fbb37ca7-AdyenDemo' }, false],
      ['no prefix: cannot tell (test keys and live keys look alike)', CREDENTIALS, undefined],
      ['an empty prefix: cannot tell', { ...CREDENTIALS, endpoint_prefix: '' }, undefined],
    ])('%s', (_case, credentials, expected) => {
      expect(sut.testModeOf(credentials)).toBe(expected);
    });
  });

  describe('accountIdentity', () => {
    it('is the merchant account, which scopes shopperReferences at Adyen', () => {
      expect(sut.accountIdentity(CREDENTIALS)).toBe('SpecMerchantECOM');
    });

    it('survives an API key rotation, so stored payment methods stay reachable', () => {
      expect(sut.accountIdentity({ ...CREDENTIALS, api_key: 'AQErotatedKey' })).toBe(sut.accountIdentity(CREDENTIALS));
    });

    it('differs between merchant accounts', () => {
      expect(sut.accountIdentity({ ...CREDENTIALS, merchant_account: 'OtherMerchantPOS' })).not.toBe(sut.accountIdentity(CREDENTIALS));
    });
  });

  describe('live endpoint (issue 13 item 7)', () => {
    const policy = new BaseUrlPolicy({ connectorBaseUrlAllowlist: new Set<string>() } as unknown as AppConfig);
    const live = { ...CREDENTIALS, endpoint_prefix: '1797a841fbb37ca7-AdyenDemo' };

    it('is the company’s prefixed Checkout host with its /checkout path, as Adyen’s own library builds it', () => {
      expect(policy.resolve(sut.connector, live, undefined, false)).toBe('https://1797a841fbb37ca7-AdyenDemo-checkout-live.adyenpayments.com/checkout/');
    });

    it('takes a caller’s base_url on that host without an allow-list entry', () => {
      const override = 'https://1797a841fbb37ca7-AdyenDemo-checkout-live.adyenpayments.com/checkout/v71-proxy/';

      expect(policy.resolve(sut.connector, live, override, false)).toBe('https://1797a841fbb37ca7-adyendemo-checkout-live.adyenpayments.com/checkout/v71-proxy/');
    });

    it('stays on the one test host in test mode, prefix or not', () => {
      expect(policy.resolve(sut.connector, live, undefined, true)).toBe('https://checkout-test.adyen.com/');
      expect(policy.resolve(sut.connector, CREDENTIALS, undefined, true)).toBe('https://checkout-test.adyen.com/');
    });

    it.each(['evil.example.com/x?', 'attacker.com#', 'a.b', '-lead', 'x'.repeat(60), 'user@host'])('never builds a host from a prefix that is not one DNS label (%s)', (prefix) => {
      const resolved = policy.resolve(sut.connector, { ...CREDENTIALS, endpoint_prefix: prefix }, undefined, false);

      expect(new URL(resolved).hostname).toMatch(/(^|\.)adyenpayments\.com$/);
      expect(resolved).not.toContain(prefix);
    });
  });

  describe('account identity across key rotation (issue 13 item 4)', () => {
    it('names the account by its merchant account, no secret involved', () => {
      expect(sut.connector.descriptor.accountIdOf?.(CREDENTIALS)).toBe('SpecMerchantECOM');
      expect(sut.connector.descriptor.accountIdOf?.({ ...CREDENTIALS, api_key: 'AQErotatedKey' })).toBe('SpecMerchantECOM');
    });
  });

  describe('the customer lifecycle', () => {
    const existing = { credentials: CREDENTIALS, baseUrl: 'https://checkout-test.adyen.com/', testMode: true, connectorCustomerId: `cs_${REFERENCE}`, merchantCustomerId: 'mcid-1', reference: REFERENCE };

    it('gets the shopperReference from the mapping with an empty record, without any call', async () => {
      const { http, touched } = untouchableHttp();

      await expect(sut.getCustomer(existing, http)).resolves.toEqual({ connectorCustomerId: `cs_${REFERENCE}`, httpStatus: 200, responseHeaders: {}, record: {} });
      expect(touched).toEqual([]);
    });

    it('keeps a shopperReference the mapping holds as it is (one the merchant minted before, recorded by an operator)', async () => {
      const { http } = untouchableHttp();

      await expect(sut.getCustomer({ ...existing, connectorCustomerId: 'legacy-shopper-77' }, http)).resolves.toMatchObject({ connectorCustomerId: 'legacy-shopper-77' });
    });

    it('updates without any call: Adyen holds no customer details to change', async () => {
      const { http, touched } = untouchableHttp();

      await expect(sut.updateCustomer({ ...existing, idempotencyKey: 'k', customer: { ...FULL_CUSTOMER, email: 'new@example.com' } }, http)).resolves.toEqual({
        connectorCustomerId: `cs_${REFERENCE}`,
        httpStatus: 200,
        responseHeaders: {},
        record: {},
      });
      expect(touched).toEqual([]);
    });

    it('refuses delete as unsupported, naming Adyen and why, without any call', async () => {
      const { http, touched } = untouchableHttp();

      await expect(sut.deleteCustomer({ ...existing, idempotencyKey: 'k' }, http)).rejects.toMatchObject({
        reason: ErrorReason.ConnectorNotImplemented,
        message: expect.stringMatching(/^Adyen does not support customer deletion: Adyen keeps no shopper to delete.*requestSubjectErasure.*pspReference/),
      });
      expect(touched).toEqual([]);
    });

    it('declares each flow with its source in the capability table', () => {
      const { capabilities } = sut.connector.descriptor;

      expect(capabilities.lifecycle).toEqual({ get: expect.stringMatching(/^no call/), update: expect.stringMatching(/^no call/) });
      expect(capabilities.claims?.every((c) => c.source !== undefined)).toBe(true);
    });
  });
});
