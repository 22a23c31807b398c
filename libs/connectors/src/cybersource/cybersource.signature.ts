import { createHash, createHmac } from 'node:crypto';

/**
 * The signed header list of a request with a body. `request-target` without parentheses:
 * Cybersource's REST "Http Signature Authentication Critical Security Update" made that the
 * required spelling from 22 January 2024 (its SDKs and guide changed with it).
 */
export const CYBERSOURCE_SIGNED_HEADERS = 'host date request-target digest v-c-merchant-id';

/**
 * GET and DELETE carry no body, so no Digest header and none in the list
 * (cybersource-rest-client-node src/authentication/http/HTTPSigToken.js, SignatureParameterGenerator.js).
 */
export const CYBERSOURCE_SIGNED_HEADERS_WITHOUT_BODY = 'host date request-target v-c-merchant-id';

/** Methods Cybersource signs without a digest. */
const BODILESS_METHODS: ReadonlySet<string> = new Set(['get', 'delete']);

export interface CybersourceSignatureInput {
  /** The Host header as sent: host[:port] of the URL called. */
  host: string;
  /** RFC 1123 date, as in the Date header. */
  date: string;
  /** Lowercase method and the resource path at Cybersource: `post /tms/v2/customers`. */
  requestTarget: string;
  /** The Digest header: `SHA-256=<base64 of SHA-256 of the body>`; absent for GET and DELETE. */
  digest?: string;
  merchantId: string;
}

export interface CybersourceSignedHeaders {
  host: string;
  date: string;
  digest?: string;
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
    ...(input.digest === undefined ? [] : [`digest: ${input.digest}`]),
    `v-c-merchant-id: ${input.merchantId}`,
  ].join('\n');
}

/** Base64 HMAC-SHA256 of the signing string, keyed with the base64-decoded shared secret. */
export function cybersourceSignature(signingString: string, sharedSecretBase64: string): string {
  return createHmac('sha256', Buffer.from(sharedSecretBase64, 'base64')).update(signingString, 'utf8').digest('base64');
}

/**
 * The authentication headers of a request as Cybersource's HTTP Signature scheme defines them:
 * five for a request with a body (POST, PUT, PATCH), four without a digest for GET and DELETE.
 */
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
  const method = options.method.toLowerCase();
  const withBody = !BODILESS_METHODS.has(method);
  const input: CybersourceSignatureInput = {
    host: new URL(options.url).host,
    date: options.date.toUTCString(),
    requestTarget: `${method} ${options.resourcePath}`,
    ...(withBody && { digest: cybersourceDigest(options.body) }),
    merchantId: options.merchantId,
  };
  const signature = cybersourceSignature(cybersourceSigningString(input), options.sharedSecret);
  const signedHeaders = withBody ? CYBERSOURCE_SIGNED_HEADERS : CYBERSOURCE_SIGNED_HEADERS_WITHOUT_BODY;
  return {
    host: input.host,
    date: input.date,
    ...(withBody && { digest: input.digest }),
    'v-c-merchant-id': input.merchantId,
    signature: `keyid="${options.keyId}", algorithm="HmacSHA256", headers="${signedHeaders}", signature="${signature}"`,
  };
}
