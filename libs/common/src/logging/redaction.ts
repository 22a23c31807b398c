/** Replacement written wherever a secret or a piece of personal data would have been. */
export const REDACTED = '[REDACTED]';

/**
 * Patterns scrubbed from every log line whatever the request: credentials in their usual shapes
 * and personal data we cannot enumerate in advance (emails, international phone numbers).
 * The request's own values are registered exactly (see `registerSensitiveValues`).
 */
const ALWAYS_SCRUBBED: readonly RegExp[] = [
  /\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9]+/g,
  /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
  /\+\d[\d\s().-]{6,}\d/g,
];

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function jsonEscaped(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** Removes known sensitive values (as written raw or JSON-escaped) and sensitive patterns. */
export function scrubText(text: string, sensitiveValues: Iterable<string> = []): string {
  let scrubbed = text;
  for (const value of sensitiveValues) {
    for (const form of new Set([value, jsonEscaped(value)])) {
      if (scrubbed.includes(form)) scrubbed = scrubbed.replace(new RegExp(escapeRegExp(form), 'g'), REDACTED);
    }
  }
  for (const pattern of ALWAYS_SCRUBBED) scrubbed = scrubbed.replace(pattern, REDACTED);
  return scrubbed;
}
