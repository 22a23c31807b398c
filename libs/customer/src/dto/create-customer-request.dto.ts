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

const SECRET = Transform(unwrapSecretString);
const EMAIL = [IsEmail({}, { message: 'must be a valid email address' }), MaxLength(254, { message: 'must be at most 254 characters' })];
const PHONE = Matches(/^\+?[0-9][0-9 ().-]{2,30}$/, { message: 'must be a phone number: digits, spaces, ( ) . - and an optional leading +, 3 to 32 characters' });

/** Prism `Address` (proto field numbers 1–12). Secret fields accept a string or `{"value": …}`. */
export class AddressDto {
  @IsOptional() @SECRET @apply(text(256)) first_name?: string;
  @IsOptional() @SECRET @apply(text(256)) last_name?: string;
  @IsOptional() @SECRET @apply(text(256)) line1?: string;
  @IsOptional() @SECRET @apply(text(256)) line2?: string;
  @IsOptional() @SECRET @apply(text(256)) line3?: string;
  @IsOptional() @SECRET @apply(text(128)) city?: string;
  @IsOptional() @SECRET @apply(text(128)) state?: string;
  @IsOptional() @SECRET @apply(text(32)) zip_code?: string;

  @IsOptional()
  @Transform(toCountryCode)
  @IsIn(COUNTRY_ALPHA2_CODES, { message: 'must be an ISO 3166-1 alpha-2 code such as "US" (or its CountryAlpha2 number)' })
  country_alpha2_code?: string;

  @IsOptional() @SECRET @apply(EMAIL) email?: string;
  @IsOptional() @SECRET @PHONE phone_number?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^\+?[0-9]{1,4}$/, { message: 'must be a calling code such as "+1" or "44"' })
  phone_country_code?: string;
}

/** Prism `PaymentAddress`. */
export class PaymentAddressDto {
  @IsOptional() @ValidateNested() @Type(() => AddressDto) shipping_address?: AddressDto;
  @IsOptional() @ValidateNested() @Type(() => AddressDto) billing_address?: AddressDto;
}

/**
 * Prism `CustomerServiceCreateRequest`, for both transports: the REST body in proto JSON form
 * (snake_case) and the decoded gRPC message. Unknown fields are refused, never dropped.
 */
export class CreateCustomerRequestDto {
  @IsDefined({ message: 'is required: it is the key of the stored mapping' })
  @IsString({ message: 'must be a string' })
  @Matches(/^[\x21-\x7e]{1,255}$/, { message: 'must be 1 to 255 printable ASCII characters without spaces' })
  merchant_customer_id: string;

  @IsOptional() @Transform(emptyToUndefined) @apply(text(512)) customer_name?: string;

  @IsOptional() @SECRET @apply(EMAIL) email?: string;

  @IsOptional() @Transform(emptyToUndefined) @PHONE phone_number?: string;

  @IsOptional() @ValidateNested() @Type(() => PaymentAddressDto) address?: PaymentAddressDto;

  @IsOptional()
  @SECRET
  @MaxLength(16_384, { message: 'must be at most 16384 characters' })
  @IsJsonObjectText({ flat: true })
  metadata?: string;

  @IsOptional()
  @SECRET
  @MaxLength(16_384, { message: 'must be at most 16384 characters' })
  @IsJsonObjectText({ flat: false })
  connector_feature_data?: string;

  @IsOptional() @IsBoolean({ message: 'must be a boolean' }) test_mode?: boolean;
}
