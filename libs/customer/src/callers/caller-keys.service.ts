import { timingSafeEqual } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, APP_ENVIRONMENT, type AppConfig, type Environment } from '@app/common/config/app-config';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { ConnectorAccountsService } from '@app/connectors/accounts/connector-accounts.service';
import { CALLER_KEY, digestOfKey, loadCallerKeysFile, MAX_KEY_LENGTH, type CallerKey, type CallerKeys } from './caller-keys';

/** What a poll compares: a rewrite changes the time or the size, an atomic rename the inode. */
type FileVersion = { mtimeMs: number; size: number; ino: number };

/** The file's version now; undefined while it is missing (mid-rename), which is not a change. */
async function versionOf(file: string): Promise<FileVersion | undefined> {
  return stat(file).then(
    ({ mtimeMs, size, ino }) => ({ mtimeMs, size, ino }),
    () => undefined,
  );
}

export type CallerKeysReloadOutcome = { ok: true; callers: string[] } | { ok: false; error: string };

const NO_KEY = Buffer.alloc(32);

/**
 * The callers of CALLER_KEYS_FILE. Loaded (and validated) at boot: a bad file stops the boot.
 * Re-read on SIGHUP and whenever the file changes (polled every CALLER_KEYS_POLL_MS), so a
 * revoked key is refused within seconds on every instance; the whole set is swapped in one
 * assignment, and a bad file keeps the callers loaded before (and says so, loudly).
 */
@Injectable()
export class CallerKeysService implements OnModuleInit, OnModuleDestroy {
  private callers: CallerKeys = new Map();
  private list: CallerKey[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly reloads = { succeeded: 0, failed: 0 };
  private poll?: NodeJS.Timeout;
  /** The file as it was just before its last read: a poll that sees it otherwise reloads. */
  private readAs?: FileVersion;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_ENVIRONMENT) private readonly env: Environment,
    private readonly accounts: ConnectorAccountsService,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    const file = this.config.callerKeysFile;
    if (file === undefined) return;
    this.readAs = await versionOf(file);
    this.install(await loadCallerKeysFile(file, this.env));
    this.logger.info({ file, callers: this.names() }, 'caller keys loaded');
    this.warnOfUnknownAccounts();
    // Our own poll rather than fs.watchFile: watchFile's first look at the file comes after it was
    // read, so a change in between would never be seen; this one compares with the file as read.
    this.poll = setInterval(() => void this.reloadIfChanged(file), this.config.callerKeysPollMs);
    this.poll.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.poll);
    this.poll = undefined;
  }

  /** True when CALLER_KEYS_FILE is set: every customer call then needs a key. */
  get configured(): boolean {
    return this.config.callerKeysFile !== undefined;
  }

  names(): string[] {
    return [...this.callers.keys()];
  }

  find(name: string): CallerKey | undefined {
    return this.callers.get(name);
  }

  reloadCounts(): Readonly<{ succeeded: number; failed: number }> {
    return this.reloads;
  }

  /**
   * The caller whose key this is. The presented key is hashed and compared with every caller's
   * digest in constant time (no early exit), so timing tells neither which caller nor how much
   * of a digest matched.
   */
  authenticate(presented: string | undefined): CallerKey | undefined {
    const usable = presented !== undefined && presented.length <= MAX_KEY_LENGTH && CALLER_KEY.test(presented);
    const digest = usable ? digestOfKey(presented) : NO_KEY;
    let found: CallerKey | undefined;
    for (const caller of this.list) {
      if (timingSafeEqual(caller.digest, digest) && usable) found = caller;
    }
    return found;
  }

  /** Re-reads the file; concurrent calls run one after the other. */
  reload(): Promise<CallerKeysReloadOutcome> {
    const next = this.queue.then(() => this.reloadNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async reloadIfChanged(file: string): Promise<void> {
    const now = await versionOf(file);
    const before = this.readAs;
    if (now === undefined || (before && now.mtimeMs === before.mtimeMs && now.size === before.size && now.ino === before.ino)) return;
    this.readAs = now;
    await this.reload();
  }

  private install(callers: CallerKeys): void {
    this.callers = callers;
    this.list = [...callers.values()];
  }

  private async reloadNow(): Promise<CallerKeysReloadOutcome> {
    const file = this.config.callerKeysFile;
    if (file === undefined) return { ok: true, callers: [] };
    try {
      this.readAs = (await versionOf(file)) ?? this.readAs;
      const callers = await loadCallerKeysFile(file, this.env);
      const removed = this.names().filter((name) => !callers.has(name));
      this.install(callers);
      this.reloads.succeeded += 1;
      this.logger.info({ file, callers: this.names(), removed }, 'caller keys reloaded');
      this.warnOfUnknownAccounts();
      return { ok: true, callers: this.names() };
    } catch (error) {
      this.reloads.failed += 1;
      const message = (error as Error).message;
      this.logger.error({ file, error: message }, 'caller keys reload failed: keeping the callers loaded before');
      return { ok: false, error: message };
    }
  }

  /** Not a failure: the accounts file is reloaded on its own, and may gain the account later. */
  private warnOfUnknownAccounts(): void {
    for (const caller of this.list) {
      if (caller.accounts === 'all') continue;
      const unknown = [...caller.accounts].filter((name) => !this.accounts.find(name));
      if (unknown.length > 0) this.logger.warn({ caller: caller.name, accounts: unknown }, 'caller keys: a caller is granted connector accounts that are not configured');
    }
  }
}
