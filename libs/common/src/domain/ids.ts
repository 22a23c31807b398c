import { randomBytes, randomUUID } from 'node:crypto';

let lastMs = -1;
let sequence = 0;

/**
 * UUIDv7 (RFC 9562): time-ordered, so mapping ids sort by creation and serve as the
 * pagination cursor. Within one millisecond a 12-bit counter (RFC 9562 §6.2, method 1) keeps
 * ids from this process strictly increasing.
 */
export function uuidv7(now = Date.now()): string {
  const bytes = randomBytes(16);
  if (now > lastMs) {
    lastMs = now;
    sequence = bytes.readUInt16BE(6) & 0x07ff;
  } else {
    sequence = (sequence + 1) & 0x0fff;
    if (sequence === 0) lastMs += 1;
  }
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes.writeUInt16BE(0x7000 | sequence, 6);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function newRequestId(): string {
  return randomUUID();
}
