import { GrpcStatus } from '@app/common/errors/grpc-status';
import { createCustomer, TRANSPORTS, useE2eEnvironment, type CreateOutcome, type TransportName } from './support/e2e-environment';
import { stripeConfigHeader } from './support/test-app';
import { testDatabaseProviders } from './support/test-databases';

const verdictOf = (outcome: CreateOutcome) =>
  outcome.ok ? 'created' : `${outcome.grpcCode ?? outcome.httpStatus} ${outcome.error?.reason} ${outcome.error?.fieldViolations.map((v) => v.field).join(',')}`;

/**
 * One normalization and one verdict for both transports: the same request, in each transport's
 * own form, is refused with the same code naming the same field, or sent to the processor alike.
 */
describe.each(testDatabaseProviders())('REST and gRPC read every value alike on %s', (provider) => {
  const env = useE2eEnvironment(provider);
  const headers = () => ({ 'x-connector-config': stripeConfigHeader(env.sandbox, 'sk_test_transportAgreement01'), 'x-tenant-id': 'transport-agreement' });
  let sequence = 0;

  /** The form fields the processor got for this merchant customer (its own id left out). */
  const sentFor = (merchantCustomerId: string) => {
    const request = env.sandbox.requestsTo('stripe').find((r) => new URLSearchParams(r.body).get('metadata[merchant_customer_id]') === merchantCustomerId);
    return request && [...new URLSearchParams(request.body)].filter(([key]) => key !== 'metadata[merchant_customer_id]');
  };

  async function bothWays(rest: Record<string, unknown>, grpc: Record<string, unknown>) {
    const results = {} as Record<TransportName, { verdict: string; sent: unknown }>;
    sequence += 1;
    for (const transport of TRANSPORTS) {
      const merchantCustomerId = `agree-${sequence}-${transport}`;
      const outcome = await createCustomer(env.app, transport, { merchant_customer_id: merchantCustomerId, ...(transport === 'rest' ? rest : grpc) }, headers());
      results[transport] = { verdict: verdictOf(outcome), sent: sentFor(merchantCustomerId) };
    }
    return results;
  }

  it.each<[string, Record<string, unknown>, string]>([
    ['customer_name', { customer_name: 'Ann\ud800' }, 'customer_name'],
    ['a low surrogate first in customer_name', { customer_name: '\udc00Ann' }, 'customer_name'],
    ['email (a SecretString)', { email: { value: 'ann\ud800@example.com' } }, 'email'],
    ['metadata (a SecretString)', { metadata: { value: '{"plan":"\ud800"}' } }, 'metadata'],
    ['a billing city', { address: { billing_address: { city: { value: 'Berlin\udbff' } } } }, 'address.billing_address.city'],
    ['phone_country_code', { address: { shipping_address: { phone_country_code: '+4\ud800' } } }, 'address.shipping_address.phone_country_code'],
  ])('a lone surrogate in %s is refused by both, naming the field', async (_case, fields, field) => {
    const results = await bothWays(fields, fields);

    expect(results.rest).toEqual({ verdict: `400 INVALID_DATA_FORMAT ${field}`, sent: undefined });
    expect(results.grpc).toEqual({ verdict: `${GrpcStatus.INVALID_ARGUMENT} INVALID_DATA_FORMAT ${field}`, sent: undefined });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['a country by name', { address: { billing_address: { line1: '1 Main St', country_alpha2_code: 'DE' } } }, { address: { billing_address: { line1: { value: '1 Main St' }, country_alpha2_code: 'DE' } } }],
    ['a country by its enum number', { address: { billing_address: { line1: '1 Main St', country_alpha2_code: 84 } } }, { address: { billing_address: { line1: { value: '1 Main St' }, country_alpha2_code: 84 } } }],
    ['an unspecified country (absent)', { address: { billing_address: { line1: '1 Main St', country_alpha2_code: 'COUNTRY_ALPHA2_UNSPECIFIED' } } }, { address: { billing_address: { line1: { value: '1 Main St' }, country_alpha2_code: 0 } } }],
    ['the unspecified country by number', { address: { billing_address: { line1: '1 Main St', country_alpha2_code: 0 } } }, { address: { billing_address: { line1: { value: '1 Main St' }, country_alpha2_code: 0 } } }],
    ['null (proto3 JSON for absent) and absent', { customer_name: null, email: null, address: null }, {}],
    ['empty strings (not given)', { customer_name: '', phone_number: '' }, { customer_name: '', phone_number: '' }],
    ['a SecretString as a plain string and as {"value": …}', { email: 'ann@example.com', metadata: '{"plan":"pro"}' }, { email: { value: 'ann@example.com' }, metadata: { value: '{"plan":"pro"}' } }],
    ['an empty SecretString', { email: {}, metadata: { value: '' } }, { email: {}, metadata: { value: '' } }],
    ['test_mode true', { test_mode: true }, { test_mode: true }],
    ['text beyond the BMP', { customer_name: 'Zoë 😀 李' }, { customer_name: 'Zoë 😀 李' }],
  ])('%s: both send the processor the same', async (_case, rest, grpc) => {
    const results = await bothWays(rest, grpc);

    expect(results.rest.verdict).toBe('created');
    expect(results.grpc).toEqual(results.rest);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a country number no country has', { address: { billing_address: { country_alpha2_code: 9999 } } }, 'address.billing_address.country_alpha2_code'],
    ['an invalid email', { email: { value: 'not-an-email' } }, 'email'],
    ['a control character', { customer_name: 'Ann\u0007' }, 'customer_name'],
    ['U+FFFD (what undecodable bytes become)', { customer_name: 'Ann\ufffd' }, 'customer_name'],
  ])('%s: both refuse it, naming the same field', async (_case, fields, field) => {
    const results = await bothWays(fields, fields);

    expect(results.rest).toEqual({ verdict: `400 VALIDATION_FAILED ${field}`, sent: undefined });
    expect(results.grpc).toEqual({ verdict: `${GrpcStatus.INVALID_ARGUMENT} VALIDATION_FAILED ${field}`, sent: undefined });
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['a bool as a string', 'test_mode', { test_mode: 'true' }],
    ['a bool as a number', 'test_mode', { test_mode: 1 }],
    ['an enum number as a string', 'address.billing_address.country_alpha2_code', { address: { billing_address: { country_alpha2_code: '84' } } }],
    ['a lower-case enum name', 'address.billing_address.country_alpha2_code', { address: { billing_address: { country_alpha2_code: 'de' } } }],
    ['a string as a number', 'customer_name', { customer_name: 42 }],
    ['a plain string field as {"value": …} (not a SecretString)', 'phone_number', { phone_number: { value: '+49 30 1234567' } }],
  ])('REST holds proto3 JSON to the type the wire would carry: %s is refused naming %s', async (_case, field, fields) => {
    sequence += 1;
    const outcome = await createCustomer(env.app, 'rest', { merchant_customer_id: `agree-${sequence}-rest`, ...fields }, headers());

    expect(verdictOf(outcome)).toBe(`400 VALIDATION_FAILED ${field}`);
  });

  it.each<[string, string, string]>([
    ['at the top level', '{"merchant_customer_id":"dup-1","customer_name":"Ann","merchant_customer_id":"dup-2"}', 'merchant_customer_id'],
    ['in a nested object', '{"merchant_customer_id":"dup-3","address":{"billing_address":{"city":"Berlin","city":"Paris"}}}', 'address.billing_address.city'],
    ['inside a SecretString', '{"merchant_customer_id":"dup-4","email":{"value":"a@example.com","value":"b@example.com"}}', 'email.value'],
  ])('a JSON body with a key twice %s is refused naming the key, nothing sent', async (_case, body, field) => {
    const requestsBefore = env.sandbox.requests.length;
    const response = await fetch(`${env.app.httpUrl}/v1/customers`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers() }, body });
    const answer = (await response.json()) as { error: { reason: string; field_violations: { field: string; description: string }[] } };

    expect({ status: response.status, reason: answer.error.reason, fields: answer.error.field_violations.map((v) => v.field) }).toEqual({ status: 400, reason: 'INVALID_DATA_FORMAT', fields: [field] });
    expect(answer.error.field_violations[0].description).toContain('more than once');
    expect(env.sandbox.requests.length).toBe(requestsBefore);
  });

  it.each(TRANSPORTS)('a SecretString as {"value": …} inside x-connector-config is INVALID_ARGUMENT over %s, as in Prism', async (transport) => {
    const config = JSON.stringify({ config: { Stripe: { api_key: { value: 'sk_test_transportAgreement02' }, base_url: env.sandbox.baseUrl('stripe') } } });

    const outcome = await createCustomer(env.app, transport, { merchant_customer_id: `agree-config-${transport}` }, { ...headers(), 'x-connector-config': config });

    expect(verdictOf(outcome)).toBe(`${transport === 'rest' ? 400 : GrpcStatus.INVALID_ARGUMENT} INVALID_DATA_FORMAT x-connector-config.config.Stripe.api_key`);
    expect(outcome.error?.message).toBe('Invalid data format: X-Connector-Config');
  });
});
