import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lostAnswerProtection, renderCapabilityTable, withCapabilityTable } from './capability-table';
import { conversationFlow, type Connector } from './connector';
import { registeredConnectors } from '@app/testing/connectors/registered-connectors';

const README = path.join(__dirname, '../../../README.md');

describe(renderCapabilityTable.name, () => {
  const table = renderCapabilityTable(registeredConnectors());

  it('has one row per registered connector', () => {
    const rows = table.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| processor'));

    expect(rows).toHaveLength(registeredConnectors().length);
  });

  it('is what the README shows (run `npm run docs:processors` after changing a connector)', () => {
    const readme = readFileSync(README, 'utf8');
    const expected = withCapabilityTable(readme, table);
    if (process.env.UPDATE_README === '1' && expected !== readme) writeFileSync(README, expected);

    expect(process.env.UPDATE_README === '1' ? expected : readme).toBe(expected);
  });
});

describe(lostAnswerProtection.name, () => {
  const connector = (replaysSafely: boolean, replayWindowHours?: number, lookup = false) =>
    ({
      descriptor: { capabilities: { replaysSafely, replayWindowHours } },
      flows: { create: conversationFlow({ run: jest.fn() }), ...(lookup && { findCreated: conversationFlow({ run: jest.fn() }) }) },
    }) as unknown as Connector;

  it.each([
    ['a replay, then a lookup after the window', connector(true, 24, true), /replays .* within 24 h; later, a lookup/],
    ['a replay', connector(true), /the retry replays/],
    ['a lookup', connector(false, undefined, true), /a lookup by our back-reference before creating again/],
    ['an operator', connector(false), /stays pending until an operator resolves or releases it/],
  ])('names %s', (_, subject, expected) => {
    expect(lostAnswerProtection(subject)).toMatch(expected);
  });

  it('declares, for every registered connector, what protects a lost answer', () => {
    for (const registered of registeredConnectors()) expect(lostAnswerProtection(registered).length).toBeGreaterThan(10);
  });
});
