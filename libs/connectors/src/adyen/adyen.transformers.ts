/**
 * Adyen has no customer object: a shopper is the `shopperReference` the merchant chooses, and
 * stored payment methods are keyed by (merchantAccount, shopperReference). "Creating" one is
 * choosing it, so nothing here goes on the wire.
 *
 * Adyen's rules for it (Checkout API, `shopperReference`): at least 3 and at most 256
 * characters, case-sensitive, and it "must not include personally identifiable information".
 */
export const ADYEN_SHOPPER_REFERENCE_LIMITS = { min: 3, max: 256 } as const;

/** Marks our references apart from ones the merchant minted before using this service. */
export const ADYEN_SHOPPER_REFERENCE_PREFIX = 'cs_';

/**
 * The shopperReference of a mapping: our prefix and the mapping's reference (26 base32
 * characters of an HMAC of the mapping key), so it is stable across retries and lost rows, and
 * free of PII by construction — unlike merchant_customer_id, which may be an email.
 */
export function toAdyenShopperReference(reference: string): string {
  return `${ADYEN_SHOPPER_REFERENCE_PREFIX}${reference}`;
}
