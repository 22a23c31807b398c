import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppConfig } from '@app/common/config/app-config';
import { createAppLogger } from '@app/common/logging/logger';
import { captureLog, type CapturedLog } from '@app/testing/capturing-log';
import { ConnectorRegistry } from '../connector-registry';
import { StripeConnector } from '../stripe/stripe.connector';
import { ConnectorAccountsService } from './connector-accounts.service';

const KEY_1 = 'sk_test_ServiceSpecKey0001';
const KEY_2 = 'sk_test_ServiceSpecKey0002';
const account = (apiKey: string) => ({ connector: 'stripe', config: { api_key: apiKey } });

describe(ConnectorAccountsService.name, () => {
  let file: string;
  let log: CapturedLog;

  const write = (accounts: unknown) => writeFileSync(file, typeof accounts === 'string' ? accounts : JSON.stringify(accounts));
  const serviceFor = (connectorAccountsFile: string | undefined) =>
    new ConnectorAccountsService({ connectorAccountsFile } as AppConfig, { KEY_2 }, new ConnectorRegistry([new StripeConnector()]), createAppLogger({ level: 'info', destination: log.stream }));

  beforeEach(() => {
    file = path.join(mkdtempSync(path.join(os.tmpdir(), 'accounts-service-')), 'accounts.json');
    log = captureLog();
  });

  it('loads the file at start', async () => {
    write({ eu: account(KEY_1) });
    const sut = serviceFor(file);

    await sut.onModuleInit();

    expect(sut.configured).toBe(true);
    expect(sut.find('eu')?.credentials).toEqual({ api_key: KEY_1 });
    expect(log.records()).toContainEqual(expect.objectContaining({ msg: 'connector accounts loaded', connector_accounts: ['eu'] }));
  });

  it('fails the start on a bad file', async () => {
    write({ eu: { connector: 'paypal' } });

    await expect(serviceFor(file).onModuleInit()).rejects.toThrow('account "eu": connector "paypal" is not supported');
  });

  it('has no accounts, and is not configured, without CONNECTOR_ACCOUNTS_FILE', async () => {
    const sut = serviceFor(undefined);
    await sut.onModuleInit();

    expect(sut.configured).toBe(false);
    expect(sut.names()).toEqual([]);
    await expect(sut.reload()).resolves.toEqual({ ok: true, accounts: [] });
  });

  it('swaps in the new accounts on reload', async () => {
    write({ eu: account(KEY_1) });
    const sut = serviceFor(file);
    await sut.onModuleInit();
    write({ eu: account('env:KEY_2'), us: account(KEY_1) });

    await expect(sut.reload()).resolves.toEqual({ ok: true, accounts: ['eu', 'us'] });

    expect(sut.find('eu')?.credentials).toEqual({ api_key: KEY_2 });
    expect(sut.names()).toEqual(['eu', 'us']);
    expect(sut.reloadCounts()).toEqual({ succeeded: 1, failed: 0 });
  });

  it('keeps the accounts it had when the new file is bad, and logs why without the file’s secrets', async () => {
    write({ eu: account(KEY_1) });
    const sut = serviceFor(file);
    await sut.onModuleInit();
    write(`{"eu": {"connector": "stripe", "config": {"api_key": "${KEY_2}"}`);

    const outcome = await sut.reload();

    expect(outcome).toEqual({ ok: false, error: expect.stringContaining('is not valid JSON') });
    expect(sut.find('eu')?.credentials).toEqual({ api_key: KEY_1 });
    expect(sut.reloadCounts()).toEqual({ succeeded: 0, failed: 1 });
    expect(log.records()).toContainEqual(expect.objectContaining({ level: 'error', msg: 'connector accounts reload failed: keeping the accounts loaded before' }));
    expect(log.lines.join('\n')).not.toContain(KEY_2);
  });

  it('runs overlapping reloads one after the other: the last file read wins', async () => {
    write({ eu: account(KEY_1) });
    const sut = serviceFor(file);
    await sut.onModuleInit();

    write({ first: account(KEY_1) });
    const first = sut.reload();
    const second = sut.reload();
    write({ second: account(KEY_1) });

    await Promise.all([first, second]);
    expect(sut.names()).toEqual(['second']);
  });
});
