import { timingSafeEqual } from 'node:crypto';
import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, APP_ENVIRONMENT, type AppConfig, type Environment } from '@app/common/config/app-config';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { ConnectorAccountsService } from '@app/connectors/accounts/connector-accounts.service';
import { CALLER_KEY, digestOfKey, loadCallerKeysFile, MAX_KEY_LENGTH, type CallerKey, type CallerKeys } from './caller-keys';

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
  private watching = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_ENVIRONMENT) private readonly env: Environment,
    private readonly accounts: ConnectorAccountsService,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    const file = this.config.callerKeysFile;
    if (file === undefined) return;
    this.install(await loadCallerKeysFile(file, this.env));
    this.logger.info({ file, callers: this.names() }, 'caller keys loaded');
    this.warnOfUnknownAccounts();
    watchFile(file, { interval: this.config.callerKeysPollMs, persistent: false }, this.onFileChange);
    this.watching = true;
  }

  onModuleDestroy(): void {
    if (this.watching) unwatchFile(this.config.callerKeysFile!, this.onFileChange);
    this.watching = false;
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

  private readonly onFileChange = (current: Stats, previous: Stats) => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) return;
    void this.reload();
  };

  private install(callers: CallerKeys): void {
    this.callers = callers;
    this.list = [...callers.values()];
  }

  private async reloadNow(): Promise<CallerKeysReloadOutcome> {
    const file = this.config.callerKeysFile;
    if (file === undefined) return { ok: true, callers: [] };
    try {
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
