import type { Connector } from './connector';

export const TABLE_START = '<!-- processors:start (generated from the connectors; `npm run docs:processors`) -->';
export const TABLE_END = '<!-- processors:end -->';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README's processor table, from each connector's own declarations. */
export function renderCapabilityTable(connectors: readonly Connector[]): string {
  const header = [
    '| processor | `x-connector-config` variant: credentials | legacy `x-auth` | fields sent | id | idempotency | duplicates | retry-safe | limits checked before the call |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const rows = [...connectors]
    .sort((a, b) => a.descriptor.displayName.localeCompare(b.descriptor.displayName))
    .map(({ descriptor: d }) => {
      const credentials = d.credentialFields.map((f) => (f.required ? `\`${f.name}\`` : `\`${f.name}\`?`)).join(', ');
      const legacy = `${d.legacyAuth.type}: ${Object.entries(d.legacyAuth.fields).map(([h, f]) => `${h}→${f}`).join(', ') || '—'}`;
      return `| ${[
        d.displayName,
        `\`${d.configVariant}\`: ${credentials}`,
        legacy,
        d.capabilities.fieldsSent.join('; '),
        d.capabilities.idFormat,
        d.capabilities.idempotency,
        d.capabilities.duplicates,
        d.capabilities.replaysSafely ? 'yes' : 'no',
        d.capabilities.limits.join('; ') || '—',
      ]
        .map(cell)
        .join(' | ')} |`;
    });
  return [TABLE_START, ...header, ...rows, TABLE_END].join('\n');
}

/** `readme` with its generated table replaced by `table`. */
export function withCapabilityTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README has no generated processor table (${TABLE_START} … ${TABLE_END})`);
  return readme.slice(0, start) + table + readme.slice(end + TABLE_END.length);
}
