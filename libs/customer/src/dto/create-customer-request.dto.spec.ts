import { RequestValidationPipe } from '@app/common/validation/validation';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { CreateCustomerRequestDto } from './create-customer-request.dto';
import { toCustomerProfile } from './customer-profile.mapper';

const sut = new RequestValidationPipe();
const validate = (body: unknown) => sut.transform(body, { type: 'body', metatype: CreateCustomerRequestDto }) as Promise<CreateCustomerRequestDto>;

async function violationsOf(body: unknown): Promise<{ field: string; description: string }[]> {
  const error = await validate(body).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).reason).toBe(ErrorReason.ValidationFailed);
  return (error as DomainError).details.fieldViolations!;
}

describe(CreateCustomerRequestDto.name, () => {
  it('accepts secrets as plain strings (Prism serde JSON) and as {"value"} (proto3 JSON / gRPC)', async () => {
    const plain = await validate({ merchant_customer_id: 'c1', email: 'ann@example.com', address: { billing_address: { first_name: 'Ann', country_alpha2_code: 'DE' } } });
    const wrapped = await validate({ merchant_customer_id: 'c1', email: { value: 'ann@example.com' }, address: { billing_address: { first_name: { value: 'Ann' }, country_alpha2_code: 84 } } });

    expect(toCustomerProfile(wrapped)).toEqual(toCustomerProfile(plain));
    expect(toCustomerProfile(plain)).toMatchObject({ email: 'ann@example.com', billingAddress: { firstName: 'Ann', country: 'DE' } });
  });

  it('treats empty strings, empty SecretStrings and COUNTRY_ALPHA2_UNSPECIFIED as absent', async () => {
    const dto = await validate({ merchant_customer_id: 'c1', customer_name: '', email: {}, address: { shipping_address: { line1: '', country_alpha2_code: 'COUNTRY_ALPHA2_UNSPECIFIED' } } });

    expect(toCustomerProfile(dto)).toEqual({ merchantCustomerId: 'c1', metadata: {}, featureData: {} });
  });

  it('turns metadata into string values', async () => {
    const dto = await validate({ merchant_customer_id: 'c1', metadata: '{"plan":"pro","seats":3,"trial":false}' });

    expect(toCustomerProfile(dto).metadata).toEqual({ plan: 'pro', seats: '3', trial: 'false' });
  });

  it.each([
    ['merchant_customer_id absent', {}, 'merchant_customer_id'],
    ['merchant_customer_id empty', { merchant_customer_id: '' }, 'merchant_customer_id'],
    ['merchant_customer_id with a space', { merchant_customer_id: 'a b' }, 'merchant_customer_id'],
    ['merchant_customer_id of 256 characters', { merchant_customer_id: 'x'.repeat(256) }, 'merchant_customer_id'],
    ['an invalid email', { merchant_customer_id: 'c1', email: 'not-an-email' }, 'email'],
    ['an invalid billing address email', { merchant_customer_id: 'c1', address: { billing_address: { email: { value: 'nope' } } } }, 'address.billing_address.email'],
    ['an invalid shipping address email', { merchant_customer_id: 'c1', address: { shipping_address: { email: 'x@' } } }, 'address.shipping_address.email'],
    ['an unknown country', { merchant_customer_id: 'c1', address: { billing_address: { country_alpha2_code: 'XX' } } }, 'address.billing_address.country_alpha2_code'],
    ['a country number out of range', { merchant_customer_id: 'c1', address: { billing_address: { country_alpha2_code: 250 } } }, 'address.billing_address.country_alpha2_code'],
    ['a phone with letters', { merchant_customer_id: 'c1', phone_number: 'call me' }, 'phone_number'],
    ['a bad calling code', { merchant_customer_id: 'c1', address: { billing_address: { phone_country_code: '+12345' } } }, 'address.billing_address.phone_country_code'],
    ['metadata that is not JSON', { merchant_customer_id: 'c1', metadata: '{nope' }, 'metadata'],
    ['metadata that is an array', { merchant_customer_id: 'c1', metadata: '[1,2]' }, 'metadata'],
    ['nested metadata', { merchant_customer_id: 'c1', metadata: '{"a":{"b":1}}' }, 'metadata'],
    ['connector_feature_data that is not JSON', { merchant_customer_id: 'c1', connector_feature_data: 'x' }, 'connector_feature_data'],
    ['test_mode as a string', { merchant_customer_id: 'c1', test_mode: 'yes' }, 'test_mode'],
    ['a name with a control character', { merchant_customer_id: 'c1', customer_name: 'Ann\u0000' }, 'customer_name'],
    ['an unknown top-level field', { merchant_customer_id: 'c1', nickname: 'x' }, 'nickname'],
    ['an unknown address field', { merchant_customer_id: 'c1', address: { billing_address: { zip: '1' } } }, 'address.billing_address.zip'],
    ['a SecretString with extra keys', { merchant_customer_id: 'c1', email: { value: 'a@b.co', other: 1 } }, 'email'],
    ['an address that is not an object', { merchant_customer_id: 'c1', address: 'Main St' }, 'address'],
  ])('names the field for %s', async (_, body, field) => {
    await expect(violationsOf(body)).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it.each([
    ['__proto__', '{"merchant_customer_id":"c1","__proto__":{"polluted":true}}', '__proto__'],
    ['constructor in an address', '{"merchant_customer_id":"c1","address":{"constructor":{"prototype":{}}}}', 'address.constructor'],
    ['toString', '{"merchant_customer_id":"c1","toString":[]}', 'toString'],
  ])('refuses a %s key before transforming the body', async (_, json, field) => {
    await expect(validate(JSON.parse(json))).rejects.toMatchObject({ details: { fieldViolations: [{ field }] } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a body that is not an object', async () => {
    await expect(validate([1, 2])).rejects.toMatchObject({ details: { fieldViolations: [{ field: 'body' }] } });
  });
});
