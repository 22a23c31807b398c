import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { COUNTRY_ALPHA2_CODES } from '@app/common/domain/country-alpha2';
import { IsJsonObjectText } from './json-object-text.validator';
import { emptyToUndefined, toCountryCode, unwrapSecretString } from './wire-transforms';

// U+FFFD is what undecodable UTF-8 becomes on the gRPC side; real text has no use for it.
const NO_CONTROL_CHARACTERS = /^[^\x00-\x1f\x7f\uFFFD]*$/;
const text = (max: number) => [
  IsString({ message: 'must be a string' }),
  MaxLength(max, { message: `must be at most ${max} characters` }),
  Matches(NO_CONTROL_CHARACTERS, { message: 'must not contain control characters or invalid UTF-8' }),
];
const apply = (decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

/** OpenAPI: Prism's SecretString, a plain string or proto3 JSON's `{"value": …}`. */
const secretString = ({ example, description, maxLength, format }: { example?: string; description?: string; maxLength?: number; format?: string }): PropertyDecorator =>
  ApiPropertyOptional({
    type: undefined,
    example,
    description: `${description ? `${description}. ` : ''}A string, or {"value": "…"} (proto3 JSON of SecretString).`,
    oneOf: [
      { type: 'string', ...(maxLength && { maxLength }), ...(format && { format }) },
      { type: 'object', properties: { value: { type: 'string', ...(maxLength && { maxLength }), ...(format && { format }) } }, required: ['value'], additionalProperties: false },
    ],
  } as ApiPropertyOptions);

const SECRET = Transform(unwrapSecretString);
const EMAIL = [IsEmail({}, { message: 'must be a valid email address' }), MaxLength(254, { message: 'must be at most 254 characters' })];
const PHONE = Matches(/^\+?[0-9][0-9 ().-]{2,30}$/, { message: 'must be a phone number: digits, spaces, ( ) . - and an optional leading +, 3 to 32 characters' });

/** Prism `Address` (proto field numbers 1–12). Secret fields accept a string or `{"value": …}`. */
export class AddressDto {
  @secretString({ example: 'Ann', maxLength: 256 }) @IsOptional() @SECRET @apply(text(256)) first_name?: string;
  @secretString({ example: 'Lee', maxLength: 256 }) @IsOptional() @SECRET @apply(text(256)) last_name?: string;
  @secretString({ example: '1 Main St', maxLength: 256 }) @IsOptional() @SECRET @apply(text(256)) line1?: string;
  @secretString({ maxLength: 256 }) @IsOptional() @SECRET @apply(text(256)) line2?: string;
  @secretString({ maxLength: 256 }) @IsOptional() @SECRET @apply(text(256)) line3?: string;
  @secretString({ example: 'Berlin', maxLength: 128 }) @IsOptional() @SECRET @apply(text(128)) city?: string;
  @secretString({ example: 'BE', maxLength: 128 }) @IsOptional() @SECRET @apply(text(128)) state?: string;
  @secretString({ example: '10115', maxLength: 32 }) @IsOptional() @SECRET @apply(text(32)) zip_code?: string;

  @ApiPropertyOptional({
    type: undefined,
    oneOf: [{ type: 'string', enum: COUNTRY_ALPHA2_CODES as unknown as string[] }, { type: 'integer', description: 'Prism’s CountryAlpha2 enum number' }],
    example: 'DE',
    description: 'ISO 3166-1 alpha-2 code, or its number in Prism’s CountryAlpha2 enum',
  } as ApiPropertyOptions)
  @IsOptional()
  @Transform(toCountryCode)
  @IsIn(COUNTRY_ALPHA2_CODES, { message: 'must be an ISO 3166-1 alpha-2 code such as "US" (or its CountryAlpha2 number)' })
  country_alpha2_code?: string;

  @secretString({ example: 'ann@example.com', format: 'email', maxLength: 254 }) @IsOptional() @SECRET @apply(EMAIL) email?: string;
  @secretString({ example: '+49 30 1234567' }) @IsOptional() @SECRET @PHONE phone_number?: string;

  @ApiPropertyOptional({ example: '+49', pattern: '^\\+?[0-9]{1,4}$' })
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\+?[0-9]{1,4}$/, { message: 'must be a calling code such as "+1" or "44"' })
  phone_country_code?: string;
}

/** Prism `PaymentAddress`. */
export class PaymentAddressDto {
  @ApiPropertyOptional({ type: () => AddressDto }) @IsOptional() @ValidateNested() @Type(() => AddressDto) shipping_address?: AddressDto;
  @ApiPropertyOptional({ type: () => AddressDto }) @IsOptional() @ValidateNested() @Type(() => AddressDto) billing_address?: AddressDto;
}

export const MERCHANT_CUSTOMER_ID = /^[\x21-\x7e]{1,255}$/;
const CONNECTOR_CUSTOMER_ID = /^[\x21-\x7e]{0,255}$/;

/** The customer's details, as Create and Update take them (Prism fields with the same names; only the numbers differ). */
export abstract class CustomerDetailsDto {
  /** Declared here so every request lists it first; each request class states its own rules. */
  @ApiPropertyOptional({ example: 'user-42', pattern: '^[\\x21-\\x7e]{1,255}$' })
  merchant_customer_id?: string;

  @ApiPropertyOptional({ example: 'Ann Lee', maxLength: 512 }) @IsOptional() @Transform(emptyToUndefined) @apply(text(512)) customer_name?: string;

  @secretString({ example: 'ann@example.com', format: 'email', maxLength: 254, description: 'Validated: an invalid address is refused, never dropped' })
  @IsOptional()
  @SECRET
  @apply(EMAIL)
  email?: string;

  @ApiPropertyOptional({ example: '+49 30 1234567', pattern: '^\\+?[0-9][0-9 ().-]{2,30}$' }) @IsOptional() @Transform(emptyToUndefined) @PHONE phone_number?: string;

  @ApiPropertyOptional({ type: () => PaymentAddressDto }) @IsOptional() @ValidateNested() @Type(() => PaymentAddressDto) address?: PaymentAddressDto;

  @secretString({ example: '{"plan":"pro"}', maxLength: 16_384, description: 'A JSON object, as text, of string/number/boolean values; sent to processors that hold metadata' })
  @IsOptional()
  @SECRET
  @MaxLength(16_384, { message: 'must be at most 16384 characters' })
  @IsJsonObjectText({ flat: true })
  metadata?: string;

  @secretString({ example: '{"locale":"de_DE"}', maxLength: 16_384, description: 'A JSON object, as text, of connector-specific data' })
  @IsOptional()
  @SECRET
  @MaxLength(16_384, { message: 'must be at most 16384 characters' })
  @IsJsonObjectText({ flat: false })
  connector_feature_data?: string;
}

/**
 * Prism `CustomerServiceCreateRequest`, for both transports: the REST body in proto JSON form
 * (snake_case) and the decoded gRPC message. Unknown fields are refused, never dropped.
 */
export class CreateCustomerRequestDto extends CustomerDetailsDto {
  @ApiProperty({ required: true, example: 'user-42', pattern: '^[\\x21-\\x7e]{1,255}$', description: 'The merchant’s own id of the customer: the key of the stored mapping' })
  @IsDefined({ message: 'is required: it is the key of the stored mapping' })
  @IsString({ message: 'must be a string' })
  @Matches(MERCHANT_CUSTOMER_ID, { message: 'must be 1 to 255 printable ASCII characters without spaces' })
  declare merchant_customer_id: string;

  @ApiPropertyOptional({ example: true, description: 'Sandbox or live endpoints; must agree with the credentials when they tell (Stripe sk_test_)' })
  @IsOptional()
  @IsBoolean({ message: 'must be a boolean' })
  test_mode?: boolean;
}

/** Which customer a Get, Update or Delete names: the merchant's id, the processor's, or both. */
abstract class ExistingCustomerFields {
  @ApiPropertyOptional({ example: 'user-42', pattern: '^[\\x21-\\x7e]{1,255}$', description: 'The merchant’s own id: the stored mapping gives the processor’s id' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Matches(MERCHANT_CUSTOMER_ID, { message: 'must be 1 to 255 printable ASCII characters without spaces' })
  merchant_customer_id?: string;

  @ApiPropertyOptional({ example: 'cus_QXg1o8vcGmoR32', description: 'The processor’s id; may be empty when merchant_customer_id is given' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Matches(CONNECTOR_CUSTOMER_ID, { message: 'must be at most 255 printable ASCII characters without spaces' })
  connector_customer_id?: string;
}

/** Prism `CustomerServiceGetRequest` (and, field for field, `CustomerServiceDeleteRequest`). */
export class GetCustomerRequestDto extends ExistingCustomerFields {}

/** Prism `CustomerServiceDeleteRequest`. */
export class DeleteCustomerRequestDto extends ExistingCustomerFields {}

/** Prism `CustomerServiceUpdateRequest`: only the fields given change. */
export class UpdateCustomerRequestDto extends CustomerDetailsDto {
  @ApiPropertyOptional({ example: 'user-42', pattern: '^[\\x21-\\x7e]{1,255}$', description: 'The merchant’s own id (over REST, the path gives it)' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Matches(MERCHANT_CUSTOMER_ID, { message: 'must be 1 to 255 printable ASCII characters without spaces' })
  declare merchant_customer_id?: string;

  @ApiPropertyOptional({ example: 'cus_QXg1o8vcGmoR32', description: 'The processor’s id; may be empty when merchant_customer_id is given' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Matches(CONNECTOR_CUSTOMER_ID, { message: 'must be at most 255 printable ASCII characters without spaces' })
  connector_customer_id?: string;
}

/** The merchant customer id in a REST path (`/v1/customers/{merchant_customer_id}`). */
export class CustomerPathDto {
  @IsString({ message: 'must be a string' })
  @Matches(MERCHANT_CUSTOMER_ID, { message: 'must be 1 to 255 printable ASCII characters without spaces' })
  merchant_customer_id: string;
}
