import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The secret and PII audit of the whole e2e run. The harness records every secret it sends
 * (credentials from connector headers, caller keys and admin tokens from authorization headers,
 * personal fields from bodies) and everything the service
 * gives back or keeps (log lines, response bodies and headers, error messages, database
 * contents); the e2e global teardown looks for every sent secret in everything observed.
 * Inert when RELIABILITY_REPORT_DIR is unset.
 */
const dir = process.env.RELIABILITY_REPORT_DIR ? path.join(process.env.RELIABILITY_REPORT_DIR, 'leak-audit') : undefined;
if (dir) mkdirSync(dir, { recursive: true });

/** Too short to be a meaningful secret, or too likely to appear by chance (a state code, "Ann"). */
const MIN_SECRET_LENGTH = 8;
const PERSONAL_FIELDS = new Set(['customer_name', 'email', 'phone_number', 'first_name', 'last_name', 'line1', 'line2', 'line3']);
const NOT_SECRET_CONFIG_FIELDS = new Set(['base_url', 'merchant_account', 'merchant_id', 'merchant_identity_id', 'client_id', 'key_id', 'name', 'public_key', 'merchant_account_id', 'finix_user_name', 'endpoint_prefix', 'dispute_base_url', 'processing_channel_id']);

const BEARER = /^Bearer +([\x21-\x7e]+) *$/i;
/** Admin tokens (≥ 16) and caller keys (≥ 32); shorter bearer values are the hostile-input tests' junk. */
const MIN_BEARER_LENGTH = 16;

/** A secret the harness made itself (a caller key written to a file, a token set in the environment): searched like the sent ones. */
export function recordSecret(...values: string[]): void {
  const secrets = values.filter((value) => value.length >= MIN_SECRET_LENGTH);
  if (secrets.length > 0) append('sent', secrets);
}

function append(file: string, record: unknown): void {
  if (dir) appendFileSync(path.join(dir, `${file}-${process.pid}.jsonl`), `${JSON.stringify(record)}\n`);
}

function collectPersonal(value: unknown, into: Set<string>, key = ''): void {
  if (typeof value === 'string') {
    if (PERSONAL_FIELDS.has(key) && value.length >= MIN_SECRET_LENGTH) into.add(value);
  } else if (value && typeof value === 'object') {
    for (const [childKey, child] of Object.entries(value)) collectPersonal(child, into, childKey === 'value' ? key : childKey);
  }
}

/** Notes the secrets a request carries: credentials in x-connector-config, personal fields in the body. */
export function recordSentSecrets(headers: Record<string, string>, body: unknown): void {
  if (!dir) return;
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'x-connector-config' || name === 'x-connector-auth') {
      try {
        const variants = (JSON.parse(value) as { config?: Record<string, Record<string, unknown>> }).config ?? {};
        for (const config of Object.values(variants)) {
          for (const [field, secret] of Object.entries(config ?? {})) {
            if (!NOT_SECRET_CONFIG_FIELDS.has(field) && typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) secrets.add(secret);
          }
        }
      } catch {
        // Deliberately malformed headers carry no usable secret.
      }
    }
    if ((name === 'x-api-key' || name === 'x-api-secret' || name === 'x-key1' || name === 'x-key2') && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
    // Caller keys and admin tokens: never to be echoed, logged or stored.
    const bearer = name.toLowerCase() === 'authorization' ? BEARER.exec(value)?.[1] : undefined;
    if (bearer !== undefined && bearer.length >= MIN_BEARER_LENGTH) secrets.add(bearer);
  }
  collectPersonal(body, secrets);
  if (secrets.size > 0) append('sent', [...secrets]);
}

/**
 * A lifecycle answer without the customer details the caller asked for (Get, Update, and the live
 * profiles answer them by design): everything else in it — headers, errors, other fields — is still
 * audited.
 */
export function withoutRequestedDetails(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const { customer: _customer, profiles, ...rest } = body as { customer?: unknown; profiles?: { live?: { details?: unknown } }[] };
  return {
    ...rest,
    ...(Array.isArray(profiles) && { profiles: profiles.map((profile) => (profile.live ? { ...profile, live: { ...profile.live, details: undefined } } : profile)) }),
  };
}

/** Something the service gave back or kept: a log line, a response, a database dump; `where` names it in a leak report. */
export function recordObserved(source: string, text: string, where = ''): void {
  if (text) append('observed', { source, text, where });
}
