import type { CountryAlpha2 } from '@app/common/domain/country-alpha2';
import type { CustomerProfile, PostalAddress } from '@app/common/domain/customer-profile';
import type { AddressDto, CustomerDetailsDto } from './create-customer-request.dto';
import { parseJsonObjectText } from './json-object-text.validator';

function toPostalAddress(dto: AddressDto | undefined): PostalAddress | undefined {
  if (!dto) return undefined;
  const address: PostalAddress = {
    firstName: dto.first_name,
    lastName: dto.last_name,
    line1: dto.line1,
    line2: dto.line2,
    line3: dto.line3,
    city: dto.city,
    state: dto.state,
    zipCode: dto.zip_code,
    country: dto.country_alpha2_code as CountryAlpha2 | undefined,
    email: dto.email,
    phoneNumber: dto.phone_number,
    phoneCountryCode: dto.phone_country_code,
  };
  const present = Object.entries(address).filter(([, value]) => value !== undefined);
  return present.length > 0 ? (Object.fromEntries(present) as PostalAddress) : undefined;
}

/** Metadata values become strings: processors store strings, and numbers print as sent. */
function toMetadata(text: string | undefined): Record<string, string> {
  const parsed = text === undefined ? {} : (parseJsonObjectText(text) ?? {});
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
}

/** The validated request (a Create, or an Update's change) as a transport-neutral customer. */
export function toCustomerProfile(dto: CustomerDetailsDto & { merchant_customer_id?: string; test_mode?: boolean }): CustomerProfile {
  const billingAddress = toPostalAddress(dto.address?.billing_address);
  const shippingAddress = toPostalAddress(dto.address?.shipping_address);
  const metadata = toMetadata(dto.metadata);
  return {
    merchantCustomerId: dto.merchant_customer_id ?? '',
    name: dto.customer_name,
    email: dto.email,
    phone: dto.phone_number,
    billingAddress,
    shippingAddress,
    metadata,
    featureData: dto.connector_feature_data === undefined ? {} : (parseJsonObjectText(dto.connector_feature_data) ?? {}),
    testMode: dto.test_mode,
  };
}
