import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, APP_ENVIRONMENT, type AppConfig, type Environment } from '@app/common/config/app-config';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { ConnectorRegistry } from '../connector-registry';
import { loadConnectorAccountsFile, type ConnectorAccount, type ConnectorAccounts } from './connector-accounts';

export type ReloadOutcome = { ok: true; accounts: string[] } | { ok: false; error: string };

/**
 * The named connector accounts of CONNECTOR_ACCOUNTS_FILE. Loaded (and validated) at boot: a bad
 * file stops the boot. `reload()` (SIGHUP) parses the file anew and swaps the whole map in one
 * assignment, so a request sees either the old accounts or the new ones, never a mix; a bad file
 * on reload keeps the old map.
 */
@Injectable()
export class ConnectorAccountsService implements OnModuleInit {
  private accounts: ConnectorAccounts = new Map();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly reloads = { succeeded: 0, failed: 0 };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_ENVIRONMENT) private readonly env: Environment,
    private readonly registry: ConnectorRegistry,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    const file = this.config.connectorAccountsFile;
    if (file === undefined) return;
    this.accounts = await loadConnectorAccountsFile(file, this.registry, this.env);
    this.logger.info({ file, connector_accounts: [...this.accounts.keys()] }, 'connector accounts loaded');
  }

  /** True when CONNECTOR_ACCOUNTS_FILE is set (even if it names no account). */
  get configured(): boolean {
    return this.config.connectorAccountsFile !== undefined;
  }

  find(name: string): ConnectorAccount | undefined {
    return this.accounts.get(name);
  }

  names(): string[] {
    return [...this.accounts.keys()];
  }

  reloadCounts(): Readonly<{ succeeded: number; failed: number }> {
    return this.reloads;
  }

  /** Re-reads the file; concurrent calls run one after the other. */
  reload(): Promise<ReloadOutcome> {
    const next = this.queue.then(() => this.reloadNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async reloadNow(): Promise<ReloadOutcome> {
    const file = this.config.connectorAccountsFile;
    if (file === undefined) return { ok: true, accounts: [] };
    try {
      const accounts = await loadConnectorAccountsFile(file, this.registry, this.env);
      this.accounts = accounts;
      this.reloads.succeeded += 1;
      this.logger.info({ file, connector_accounts: [...accounts.keys()] }, 'connector accounts reloaded');
      return { ok: true, accounts: [...accounts.keys()] };
    } catch (error) {
      this.reloads.failed += 1;
      const message = (error as Error).message;
      this.logger.error({ file, error: message }, 'connector accounts reload failed: keeping the accounts loaded before');
      return { ok: false, error: message };
    }
  }
}
