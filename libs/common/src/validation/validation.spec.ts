import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsEmail, IsOptional, IsString, ValidateNested, ValidationError, validate } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { ErrorReason } from '../errors/error-reason';
import { fieldViolationsOf, findForbiddenKey, findLoneSurrogate, MAX_BODY_DEPTH, RequestValidationPipe } from './validation';

class AddressDto {
  @IsOptional()
  @IsEmail()
  email?: string;
}

class PaymentAddressDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  billing_address?: AddressDto;
}

class CustomerDto {
  @IsString()
  merchant_customer_id!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => PaymentAddressDto)
  address?: PaymentAddressDto;
}

function validationError(property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

describe(fieldViolationsOf.name, () => {
  it('names nested violations by their full snake_case path', () => {
    const errors = [
      validationError('address', undefined, [
        validationError('billing_address', undefined, [validationError('email', { isEmail: 'email must be an email' })]),
      ]),
      validationError('merchant_customer_id', { isString: 'merchant_customer_id must be a string' }),
    ];

    expect(fieldViolationsOf(errors)).toEqual([
      { field: 'address.billing_address.email', description: 'email must be an email' },
      { field: 'merchant_customer_id', description: 'merchant_customer_id must be a string' },
    ]);
  });

  it('reports an unknown field as not part of the request', () => {
    const errors = [validationError('nickname', { whitelistValidation: 'property nickname should not exist' })];

    expect(fieldViolationsOf(errors)).toEqual([{ field: 'nickname', description: 'is not a field of this request' }]);
  });

  it('drops class-validator’s "nested property" prefix', () => {
    const errors = [validationError('address', { nestedValidation: 'nested property address must be either object or array' })];

    expect(fieldViolationsOf(errors)).toEqual([{ field: 'address', description: 'must be either object or array' }]);
  });

  it('flattens what class-validator reports for a real nested DTO', async () => {
    const dto = Object.assign(new CustomerDto(), {
      address: Object.assign(new PaymentAddressDto(), { billing_address: Object.assign(new AddressDto(), { email: 'not-an-email' }) }),
    });

    const violations = fieldViolationsOf(await validate(dto));

    expect(violations.map((v) => v.field)).toEqual(['merchant_customer_id', 'address.billing_address.email']);
  });
});

describe(findForbiddenKey.name, () => {
  it.each<[string, unknown, string]>([
    ['a top-level __proto__', JSON.parse('{"__proto__":{"polluted":true}}'), '__proto__'],
    ['a nested __proto__', JSON.parse('{"address":{"billing_address":{"__proto__":{}}}}'), 'address.billing_address.__proto__'],
    ['constructor', JSON.parse('{"metadata":{"constructor":{"prototype":{}}}}'), 'metadata.constructor'],
    ['prototype', { a: { prototype: 1 } }, 'a.prototype'],
    ['toString (found by the hostile-input fuzz: the whitelist let it through)', { merchant_customer_id: 'm', toString: [] }, 'toString'],
    ['valueOf in an address', { address: { billing_address: { valueOf: 1 } } }, 'address.billing_address.valueOf'],
    ['hasOwnProperty', { hasOwnProperty: 'x' }, 'hasOwnProperty'],
    ['a key inside an array element', JSON.parse('{"items":[{"ok":1},{"__proto__":{}}]}'), 'items.1.__proto__'],
  ])('finds %s and returns its path', (_case, value, expected) => {
    expect(findForbiddenKey(value)).toEqual({ field: expected, description: 'is not a field of this request' });
  });

  it('refuses nesting deeper than MAX_BODY_DEPTH instead of walking it', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < MAX_BODY_DEPTH; i += 1) deep = { a: deep };

    expect(findForbiddenKey(deep)).toEqual({ field: Array(MAX_BODY_DEPTH).fill('a').join('.'), description: `nests deeper than ${MAX_BODY_DEPTH} levels` });
  });

  it.each<[string, unknown]>([
    ['a clean body', { merchant_customer_id: 'm-1', address: { billing_address: { email: 'a@b.co' } } }],
    ['keys that only contain a forbidden word', { my_constructor: 1, proto: 2, __proto: 3 }],
    ['a string', 'constructor'],
    ['null', null],
  ])('finds nothing in %s', (_case, value) => {
    expect(findForbiddenKey(value)).toBeUndefined();
  });

  it('handles a very deep body without overflowing the stack', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 10_000; i++) deep = { n: deep };

    expect(() => findForbiddenKey(deep)).not.toThrow();
  });
});

describe(RequestValidationPipe.name, () => {
  const sut = new RequestValidationPipe();
  const bodyOf = (metatype: unknown) => ({ type: 'body' as const, metatype: metatype as never, data: undefined });

  it('transforms a valid body into the DTO', async () => {
    await expect(sut.transform({ merchant_customer_id: 'm-1' }, bodyOf(CustomerDto))).resolves.toBeInstanceOf(CustomerDto);
  });

  it.each<[string, unknown, string]>([
    ['an invalid nested email', { merchant_customer_id: 'm-1', address: { billing_address: { email: 'nope' } } }, 'address.billing_address.email'],
    ['an unknown field', { merchant_customer_id: 'm-1', nickname: 'x' }, 'nickname'],
    ['a prototype key', JSON.parse('{"merchant_customer_id":"m-1","address":{"__proto__":{"x":1}}}'), 'address.__proto__'],
    ['an array body', [], 'body'],
  ])('refuses %s, naming the field', async (_case, body, field) => {
    const rejection = sut.transform(body, bodyOf(CustomerDto));

    await expect(rejection).rejects.toBeInstanceOf(DomainError);
    await expect(rejection).rejects.toMatchObject({
      reason: ErrorReason.ValidationFailed,
      details: { fieldViolations: expect.arrayContaining([expect.objectContaining({ field })]) },
    });
  });
});

describe(findLoneSurrogate.name, () => {
  it.each<[string, unknown, string | undefined]>([
    ['well-formed text, pairs included', { customer_name: 'Zoë 😀', address: { billing_address: { city: { value: '李' } } } }, undefined],
    ['a lone high surrogate', { customer_name: 'Ann\ud800' }, 'customer_name'],
    ['a lone low surrogate', { customer_name: '\udc00Ann' }, 'customer_name'],
    ['surrogates in the wrong order', { customer_name: '\udc00\ud800' }, 'customer_name'],
    ['a SecretString, named by its field as gRPC names it', { address: { billing_address: { city: { value: '\ud800' } } } }, 'address.billing_address.city'],
    ['a key', { ['k\ud800']: 'v' }, 'k\ud800'],
    ['an array element', { a: ['ok', 'x\udfff'] }, 'a.1'],
  ])('%s', (_case, value, path) => {
    expect(findLoneSurrogate(value)).toBe(path);
  });

  it('is refused by the pipe as INVALID_DATA_FORMAT naming the field', async () => {
    const pipe = new RequestValidationPipe();

    await expect(pipe.transform({ merchant_customer_id: 'a\ud800' }, { type: 'body', metatype: CustomerDto })).rejects.toMatchObject({
      reason: ErrorReason.InvalidDataFormat,
      details: { fieldViolations: [{ field: 'merchant_customer_id', description: expect.stringContaining('lone surrogate') }] },
    });
  });
});
