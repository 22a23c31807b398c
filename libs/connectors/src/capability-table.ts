import { flowHandler, type Connector, type ProcessorClaim } from './connector';

export const TABLE_START = '<!-- processors:start (generated from the connectors; `npm run docs:processors`) -->';
export const TABLE_END = '<!-- processors:end -->';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * What keeps a retry from creating a second customer after an attempt got no answer (timeout,
 * crash, reset connection): the service's policy, from what the connector declares.
 */
export function lostAnswerProtection(connector: Connector): string {
  const { replaysSafely, replayWindowHours, replayRequiresSameDetails, lookupIsConclusive } = connector.descriptor.capabilities;
  const lookup = flowHandler(connector, 'findCreated') !== undefined;
  const resolution = 'an operator resolves or releases it (admin API)';
  const operator = `the mapping stays pending until ${resolution}`;
  const unproven = lookupIsConclusive ? '' : `; if it finds none, ${operator}`;
  if (replaysSafely) {
    const uncovered = [replayWindowHours !== undefined && 'later', replayRequiresSameDetails && 'with other details'].filter(Boolean).join(' or ');
    if (!uncovered) return 'the retry replays (same key, id or duplicate recovery)';
    const replay = `the retry replays (${replayRequiresSameDetails ? 'when it carries the first attempt’s details' : 'same key/id'})${replayWindowHours !== undefined ? ` within ${replayWindowHours} h` : ''}`;
    if (lookup) return `${replay}; ${uncovered}, a lookup by our back-reference first${unproven}`;
    return `${replay}; ${uncovered}, refused until ${resolution}`;
  }
  if (lookup) return `a lookup by our back-reference before creating again${unproven}`;
  return `nothing at the processor: ${operator}`;
}

/** What the table says of one lifecycle flow: the request it makes, or why the processor has none. */
export function lifecycleCell(connector: Connector, flow: 'get' | 'update' | 'delete'): string {
  const declared = connector.flows[flow];
  if (declared === undefined) return 'not declared';
  if (declared.shape === 'unsupported') return `no: ${declared.why}`;
  return connector.descriptor.capabilities.lifecycle?.[flow] ?? 'yes';
}

function claimCell(claims: readonly ProcessorClaim[] | undefined): string {
  if (!claims?.length) return '—';
  return claims.map(({ claim, source }) => `${claim} (${source ? `documented: ${source}` : 'inferred'})`).join('; ');
}

/** The README's processor table, from each connector's own declarations. */
export function renderCapabilityTable(connectors: readonly Connector[]): string {
  const header = [
    '| processor | `x-connector-config` variant: credentials | legacy `x-auth` | fields sent | id | idempotency | duplicates | after a lost answer | get | update | delete | limits checked before the call | claims and where they come from |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const rows = [...connectors]
    .sort((a, b) => a.descriptor.displayName.localeCompare(b.descriptor.displayName))
    .map((connector) => {
      const d = connector.descriptor;
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
        lostAnswerProtection(connector),
        lifecycleCell(connector, 'get'),
        lifecycleCell(connector, 'update'),
        lifecycleCell(connector, 'delete'),
        d.capabilities.limits.join('; ') || '—',
        claimCell(d.capabilities.claims),
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
