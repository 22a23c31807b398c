import { createHash, createHmac } from 'node:crypto';

/**
 * The signed header list of a request with a body. `request-target` without parentheses:
 * Cybersource's REST "Http Signature Authentication Critical Security Update" made that the
 * required spelling from 22 January 2024 (its SDKs and guide changed with it).
 */
export const CYBERSOURCE_SIGNED_HEADERS = 'host date request-target digest v-c-merchant-id';

export interface CybersourceSignatureInput {
  /** The Host header as sent: host[:port] of the URL called. */
  host: string;
  /** RFC 1123 date, as in the Date header. */
  date: string;
  /** Lowercase method and the resource path at Cybersource: `post /tms/v2/customers`. */
  requestTarget: string;
  /** The Digest header: `SHA-256=<base64 of SHA-256 of the body>`. */
  digest: string;
  merchantId: string;
}

export interface CybersourceSignedHeaders {
  host: string;
  date: string;
  digest: string;
  'v-c-merchant-id': string;
  signature: string;
}

export function cybersourceDigest(body: string): string {
  return `SHA-256=${createHash('sha256').update(body, 'utf8').digest('base64')}`;
}

/** One `name: value` line per signed header, in the order of the list, joined by newlines. */
export function cybersourceSigningString(input: CybersourceSignatureInput): string {
  return [
    `host: ${input.host}`,
    `date: ${input.date}`,
    `request-target: ${input.requestTarget}`,
    `digest: ${input.digest}`,
    `v-c-merchant-id: ${input.merchantId}`,
  ].join('\n');
}

/** Base64 HMAC-SHA256 of the signing string, keyed with the base64-decoded shared secret. */
export function cybersourceSignature(signingString: string, sharedSecretBase64: string): string {
  return createHmac('sha256', Buffer.from(sharedSecretBase64, 'base64')).update(signingString, 'utf8').digest('base64');
}

/** The five authentication headers of a request with a body as Cybersource's HTTP Signature scheme defines them. */
export function cybersourceSignedHeaders(options: {
  method: string;
  url: string;
  resourcePath: string;
  body: string;
  date: Date;
  keyId: string;
  merchantId: string;
  sharedSecret: string;
}): CybersourceSignedHeaders {
  const input: CybersourceSignatureInput = {
    host: new URL(options.url).host,
    date: options.date.toUTCString(),
    requestTarget: `${options.method.toLowerCase()} ${options.resourcePath}`,
    digest: cybersourceDigest(options.body),
    merchantId: options.merchantId,
  };
  const signature = cybersourceSignature(cybersourceSigningString(input), options.sharedSecret);
  return {
    host: input.host,
    date: input.date,
    digest: input.digest,
    'v-c-merchant-id': input.merchantId,
    signature: `keyid="${options.keyId}", algorithm="HmacSHA256", headers="${CYBERSOURCE_SIGNED_HEADERS}", signature="${signature}"`,
  };
}
