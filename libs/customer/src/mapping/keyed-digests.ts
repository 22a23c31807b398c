import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { MappingScopeService } from './mapping-scope.service';

/** JSON with sorted keys and no undefined values: the same profile always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const SEAL_VERSION = 'v1';

/**
 * Digests and seals keyed with the server secret, so the database can tell things apart without
 * holding them: a customer's details (did they change?), a merchant customer id once erased, and
 * the payload a durable operation must keep until its steps end (sealed, then dropped).
 */
@Injectable()
export class KeyedDigests {
  constructor(private readonly scope: MappingScopeService) {}

  /**
   * The details a processor is sent — name, contacts, each address, each metadata entry — as one
   * keyed digest per field (`field=digest`, sorted): a partial update can then be compared with, and
   * merged into, what was sent before. Connector-specific data (a login token) and the test flag
   * are not details of the customer; nor is the merchant's id, which keys the mapping.
   */
  profileFingerprint(customer: CustomerProfile): string {
    const key = this.scope.derivedKey('profile-fingerprint');
    const digest = (field: string, value: unknown) => createHmac('sha256', key).update(field).update('\0').update(canonical(value)).digest('base64url').slice(0, 22);
    const fields: [string, unknown][] = [
      ['name', customer.name],
      ['email', customer.email],
      ['phone', customer.phone],
      ['billing', customer.billingAddress],
      ['shipping', customer.shippingAddress],
      // Metadata key names are hashed too: a merchant may put anything in them.
      ...Object.entries(customer.metadata).map(([name, value]): [string, unknown] => [`m.${digest('metadata-key', name)}`, value]),
    ];
    return fields
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => `${field}=${digest(field, value)}`)
      .sort()
      .join(',');
  }

  /** A merchant customer id, as a keyed HMAC within its tenant and merchant. */
  customerHash(tenantId: string, merchantId: string, merchantCustomerId: string): string {
    return createHmac('sha256', this.scope.derivedKey('customer-hash')).update([tenantId, merchantId, merchantCustomerId].join('\0')).digest('base64url');
  }

  /** A request, as a keyed HMAC: tells a repeat from another request under the same idempotency key. */
  requestFingerprint(request: unknown): string {
    return createHmac('sha256', this.scope.derivedKey('request-fingerprint')).update(canonical(request)).digest('base64url');
  }

  /**
   * An idempotency key derived from what a call does (`update`, the mapping, the change): a retry
   * of the same call sends the same key, so a processor that keeps keys replays it. UUID-shaped,
   * which every processor's key format accepts.
   */
  idempotencyKey(...parts: string[]): string {
    const hex = createHmac('sha256', this.scope.derivedKey('idempotency-key')).update(parts.join('\0')).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** AES-256-GCM under a key derived from the server secret: `v1.<iv>.<tag>.<ciphertext>`. */
  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.scope.derivedKey('payload-seal'), iv);
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [SEAL_VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  unseal<T>(sealed: string): T {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== SEAL_VERSION) throw new Error(`unknown seal version ${version}`);
    const decipher = createDecipheriv('aes-256-gcm', this.scope.derivedKey('payload-seal'), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')) as T;
  }
}

const entriesOf = (fingerprint: string) => new Map(fingerprint === '' ? [] : fingerprint.split(',').map((entry) => entry.split('=') as [string, string]));

/** The fingerprint of what was sent before with `change`'s fields sent on top (an update). */
export function mergeFingerprints(before: string, change: string): string {
  const merged = entriesOf(before);
  for (const [field, digest] of entriesOf(change)) merged.set(field, digest);
  return [...merged].map(([field, digest]) => `${field}=${digest}`).sort().join(',');
}

/** True when everything `change` sets is already what was sent before: an update would change nothing. */
export function fingerprintCovers(before: string, change: string): boolean {
  const sent = entriesOf(before);
  return [...entriesOf(change)].every(([field, digest]) => sent.get(field) === digest);
}
