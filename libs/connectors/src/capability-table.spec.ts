import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderCapabilityTable, withCapabilityTable } from './capability-table';
import { registeredConnectors } from './connector-registry';

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
