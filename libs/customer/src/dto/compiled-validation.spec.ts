import { ValidationPipe } from '@nestjs/common';
import fc from 'fast-check';
import { DECLINED, validateCompiled } from '@app/common/validation/compiled-validation';
import { CreateCustomerRequestDto, UpdateCustomerRequestDto } from './create-customer-request.dto';

/** The full path the compiled one stands in for: Nest's ValidationPipe with the service's options. */
const fullPath = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, forbidUnknownValues: true, stopAtFirstError: true, validationError: { target: false, value: false } });

const scalar = fc.oneof(
  fc.constantFrom('', 'c1', 'user-42', 'a b', 'x'.repeat(256), 'ann@example.com', 'not-an-email', 'x@', '+4930123456', '+49 30 1234567', 'call me', '+49', '+12345', '44'),
  fc.constantFrom('{"plan":"pro"}', '{"a":{"b":1}}', '[1,2]', '{nope', '{"":1}', 'DE', 'XX', 'COUNTRY_ALPHA2_UNSPECIFIED', 'Ann\u0000', '\uFFFD', 'Ann Lee', '1 Main St'),
  fc.string({ maxLength: 8 }),
  fc.constantFrom(0, 1, 84, 250, -1, 1.5, true, false, null),
);
const secret = fc.oneof(scalar, fc.record({ value: scalar }), fc.constant({}), fc.record({ value: scalar, other: scalar }), fc.array(scalar, { maxLength: 2 }));
const addressFields = ['first_name', 'last_name', 'line1', 'line2', 'line3', 'city', 'state', 'zip_code', 'country_alpha2_code', 'email', 'phone_number', 'phone_country_code'];
const address = fc.oneof(
  fc.dictionary(fc.constantFrom(...addressFields, 'zip'), secret, { maxKeys: 5 }),
  scalar,
  fc.array(fc.dictionary(fc.constantFrom(...addressFields), secret, { maxKeys: 2 }), { maxLength: 1 }),
);
const paymentAddress = fc.oneof(fc.dictionary(fc.constantFrom('billing_address', 'shipping_address', 'other_address'), address, { maxKeys: 2 }), scalar);
const detailFields = { customer_name: secret, email: secret, phone_number: secret, metadata: secret, connector_feature_data: secret, address: paymentAddress, test_mode: scalar, merchant_customer_id: secret, connector_customer_id: secret, nickname: scalar };
const anyBody = fc.record(detailFields, { requiredKeys: [] });

// Mostly valid bodies, so that the compiled path accepts often enough to be compared.
const validAddress = fc.record(
  { first_name: fc.constantFrom('Ann', { value: 'Ann' }, ''), line1: fc.constantFrom('1 Main St', { value: '1 Main St' }), city: fc.constantFrom('Berlin', {}), zip_code: fc.constant('10115'), country_alpha2_code: fc.constantFrom('DE', 84, 'COUNTRY_ALPHA2_UNSPECIFIED', 0), email: fc.constantFrom('ann@example.com', { value: 'a@b.de' }), phone_country_code: fc.constantFrom('+49', '') },
  { requiredKeys: [] },
);
const validBody = fc.record(
  {
    merchant_customer_id: fc.constantFrom('c1', 'user-42', 'x'.repeat(255)),
    customer_name: fc.constantFrom('Ann Lee', '', 'Ann\u0000'),
    email: fc.constantFrom('ann@example.com', { value: 'ann@example.com' }, {}, '', 'nope'),
    phone_number: fc.constantFrom('+4930123456', '', 'call me'),
    address: fc.record({ billing_address: validAddress, shipping_address: validAddress }, { requiredKeys: [] }),
    metadata: fc.constantFrom('{"plan":"pro"}', { value: '{"seats":3}' }, '[1]'),
    connector_feature_data: fc.constantFrom('{"a":{"b":1}}', '{}'),
    test_mode: fc.constantFrom(true, false, 'yes'),
  },
  { requiredKeys: ['merchant_customer_id'] },
);

async function outcomes(metatype: Function, body: unknown): Promise<{ compiled: unknown; full: { ok: true; value: unknown } | { ok: false } }> {
  const text = JSON.stringify(body);
  const compiled = validateCompiled(metatype, JSON.parse(text));
  const full = await fullPath.transform(JSON.parse(text), { type: 'body', metatype: metatype as never }).then(
    (value: unknown) => ({ ok: true as const, value }),
    () => ({ ok: false as const }),
  );
  return { compiled, full };
}

describe(validateCompiled.name, () => {
  it.each([
    ['the bench’s REST body', { merchant_customer_id: 'c1', customer_name: 'Ann Lee', email: 'ann@example.com', phone_number: '+4930123456', address: { billing_address: { line1: '1 Main St', city: 'Berlin', zip_code: '10115', country_alpha2_code: 'DE' } }, metadata: '{"plan":"pro"}', test_mode: true }],
    ['a decoded gRPC message', { merchant_customer_id: 'c1', customer_name: 'Ann Lee', email: { value: 'ann@example.com' }, address: { billing_address: { line1: { value: '1 Main St' }, country_alpha2_code: 'DE' } }, metadata: { value: '{"plan":"pro"}' }, test_mode: true }],
    ['the smallest request', { merchant_customer_id: 'c1' }],
  ])('accepts %s, with the instance the full path builds', async (_case, body) => {
    const { compiled, full } = await outcomes(CreateCustomerRequestDto, body);

    expect(compiled).not.toBe(DECLINED);
    expect(full.ok).toBe(true);
    expect(compiled).toStrictEqual((full as { value: unknown }).value);
    expect(compiled).toBeInstanceOf(CreateCustomerRequestDto);
  });

  it.each([
    ['an unknown field', { merchant_customer_id: 'c1', nickname: 'x' }],
    ['an invalid email', { merchant_customer_id: 'c1', email: 'nope' }],
    ['no merchant_customer_id', {}],
    ['an address that is a string', { merchant_customer_id: 'c1', address: 'x' }],
  ])('leaves %s to the full path, which names the field', async (_case, body) => {
    const { compiled, full } = await outcomes(CreateCustomerRequestDto, body);

    expect(compiled).toBe(DECLINED);
    expect(full.ok).toBe(false);
  });

  it.each([
    ['Create', CreateCustomerRequestDto],
    ['Update', UpdateCustomerRequestDto],
  ])('never accepts what the full path refuses, and builds the same %s instance (random bodies)', async (_name, metatype) => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(validBody, anyBody), async (body) => {
        const { compiled, full } = await outcomes(metatype, body);
        if (compiled === DECLINED) return;
        accepted += 1;
        expect(full.ok).toBe(true);
        expect(compiled).toStrictEqual((full as { value: unknown }).value);
      }),
      { numRuns: 1500 },
    );
    expect(accepted).toBeGreaterThan(20);
  });
});
