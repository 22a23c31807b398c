import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppConfig } from '@app/common/config/app-config';
import { createAppLogger } from '@app/common/logging/logger';
import type { ConnectorAccountsService } from '@app/connectors/accounts/connector-accounts.service';
import { captureLog, type CapturedLog } from '@app/testing/capturing-log';
import { strictDouble } from '@app/testing/strict-double';
import { CallerKeysService } from './caller-keys.service';

const KEY_A = 'ck_ServiceSpecKeyA_0123456789abcdefghijk';
const KEY_B = 'ck_ServiceSpecKeyB_0123456789abcdefghijk';
const caller = (variable: string, accounts: string[] = []) => ({ tenant: 'tenant-a', key: `env:${variable}`, scopes: ['customers:create'], accounts });

describe(CallerKeysService.name, () => {
  let file: string;
  let log: CapturedLog;
  let sut: CallerKeysService;

  const write = (callers: unknown) => {
    writeFileSync(`${file}.tmp`, typeof callers === 'string' ? callers : JSON.stringify(callers));
    renameSync(`${file}.tmp`, file);
  };
  const serviceFor = (callerKeysFile: string | undefined, pollMs = 100) =>
    new CallerKeysService(
      { callerKeysFile, callerKeysPollMs: pollMs } as AppConfig,
      { KEY_A, KEY_B },
      strictDouble<ConnectorAccountsService>({ find: jest.fn((name: string) => (name === 'stripe-eu' ? ({ name } as never) : undefined)) }),
      createAppLogger({ level: 'info', destination: log.stream }),
    );

  beforeEach(() => {
    file = path.join(mkdtempSync(path.join(os.tmpdir(), 'caller-keys-service-')), 'callers.json');
    log = captureLog();
  });
  afterEach(() => sut?.onModuleDestroy());

  it('loads the file at start and knows each caller by its key only', async () => {
    write({ a: caller('KEY_A'), b: caller('KEY_B') });
    sut = serviceFor(file);

    await sut.onModuleInit();

    expect(sut.configured).toBe(true);
    expect(sut.authenticate(KEY_A)?.name).toBe('a');
    expect(sut.authenticate(KEY_B)?.name).toBe('b');
    expect(sut.authenticate(`${KEY_A}x`)).toBeUndefined();
    expect(sut.authenticate(KEY_A.slice(0, -1))).toBeUndefined();
    expect(sut.authenticate('')).toBeUndefined();
    expect(sut.authenticate(undefined)).toBeUndefined();
    expect(sut.authenticate('x'.repeat(10_000))).toBeUndefined();
    expect(log.records()).toContainEqual(expect.objectContaining({ msg: 'caller keys loaded', callers: ['a', 'b'] }));
    expect(log.lines.join('\n')).not.toContain(KEY_A);
  });

  it('fails the start on a bad file', async () => {
    write({ a: { ...caller('KEY_A'), scopes: ['everything'] } });

    await expect(serviceFor(file).onModuleInit()).rejects.toThrow('caller "a": scope "everything" is not one of');
  });

  it('is not configured, and knows nobody, without CALLER_KEYS_FILE', async () => {
    sut = serviceFor(undefined);
    await sut.onModuleInit();

    expect(sut.configured).toBe(false);
    expect(sut.authenticate(KEY_A)).toBeUndefined();
  });

  it('drops a removed caller on reload, and keeps the callers loaded before when the file turns bad', async () => {
    write({ a: caller('KEY_A'), b: caller('KEY_B') });
    sut = serviceFor(file);
    await sut.onModuleInit();

    write({ b: caller('KEY_B') });
    await expect(sut.reload()).resolves.toEqual({ ok: true, callers: ['b'] });
    expect(sut.authenticate(KEY_A)).toBeUndefined();

    write('{"b": ');
    await expect(sut.reload()).resolves.toMatchObject({ ok: false, error: expect.stringContaining('is not valid JSON') });
    expect(sut.authenticate(KEY_B)?.name).toBe('b');
    expect(sut.reloadCounts()).toEqual({ succeeded: 1, failed: 1 });
    expect(log.records()).toContainEqual(expect.objectContaining({ msg: 'caller keys reloaded', removed: ['a'] }));
    expect(log.records()).toContainEqual(expect.objectContaining({ level: 'error', msg: 'caller keys reload failed: keeping the callers loaded before' }));
  });

  it('re-reads the file by itself when it changes (no signal)', async () => {
    write({ a: caller('KEY_A') });
    sut = serviceFor(file, 100);
    await sut.onModuleInit();

    // Another size: file times tick at the kernel's coarse clock (a few ms), so a rewrite of the
    // same size in the same tick changes nothing a poll can see (an operator's edit is not that fast).
    write({ bb: caller('KEY_B') });
    for (let waited = 0; sut.authenticate(KEY_A) && waited < 3_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));

    expect(sut.authenticate(KEY_A)).toBeUndefined();
    expect(sut.authenticate(KEY_B)?.name).toBe('bb');
  });

  it('warns of granted accounts that are not configured, without failing', async () => {
    write({ a: caller('KEY_A', ['stripe-eu', 'stripe-zz']) });
    sut = serviceFor(file);

    await sut.onModuleInit();

    expect(log.records()).toContainEqual(expect.objectContaining({ level: 'warn', caller: 'a', accounts: ['stripe-zz'] }));
  });
});
