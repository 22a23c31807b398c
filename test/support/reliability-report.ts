import { appendFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Figures for docs/reliability.md, written by the run that proves them: each test appends a row;
 * the e2e global teardown renders the table. Rows go nowhere when RELIABILITY_REPORT_DIR is unset
 * (a single test file run by hand).
 */
export function recordFigure(section: string, row: Record<string, string | number | boolean>): void {
  const dir = process.env.RELIABILITY_REPORT_DIR;
  if (!dir) return;
  appendFileSync(path.join(dir, 'figures.jsonl'), `${JSON.stringify({ section, ...row })}\n`);
}
