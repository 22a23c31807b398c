import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository root, found by walking up to the folder holding `proto/` and `prisma/`: the same
 * code runs from `libs/…` (tests) and from `dist/libs/…` (built), so relative paths differ.
 */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(path.join(dir, 'proto')) && existsSync(path.join(dir, 'prisma'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the project root (proto/ and prisma/) above ${__dirname}`);
    dir = parent;
  }
}
