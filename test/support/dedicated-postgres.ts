import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';

const run = promisify(execFile);
const SCRIPT = path.join(__dirname, '../../scripts/postgres-test-server.sh');

/** A PostgreSQL server of one test's own, which it may stop and start (the shared one it may not). */
export class DedicatedPostgres {
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'connector-service-pgfault-'));
  url = '';
  private port = 0;

  async start(): Promise<string> {
    this.port ||= await freePort();
    const { stdout } = await run('bash', [SCRIPT, 'start', this.dir, String(this.port), 'durable']);
    this.url = stdout.trim();
    return this.url;
  }

  /** Immediate shutdown: connections die as in a crash or a network partition. */
  async stop(): Promise<void> {
    const bin = (await run('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'])).stdout.trim();
    const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
    await run(asPostgres[0] ?? `${bin}/pg_ctl`, [...asPostgres.slice(1), ...(asPostgres.length ? [`${bin}/pg_ctl`] : []), '-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await run('bash', [SCRIPT, 'stop', this.dir]).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
