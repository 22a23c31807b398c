import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { recordSecret } from './leak-audit';

/** A fresh caller key (43 base64url characters, 256 bits), recorded for the secret audit. */
export function newCallerKey(): string {
  const key = randomBytes(32).toString('base64url');
  recordSecret(key);
  return key;
}

export interface CallerEntry {
  tenant: string;
  key: string;
  scopes: string[];
  accounts?: string[] | string;
  inline_credentials?: boolean;
  merchants?: string[];
  rate_limit?: string;
}

/**
 * Writes a caller keys file as an operator would (YAML), atomically: a new file renamed over the
 * old, so an instance polling it never reads half of it.
 */
export function writeCallerKeys(file: string, callers: Record<string, CallerEntry>): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, stringify(callers));
  renameSync(temporary, file);
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
