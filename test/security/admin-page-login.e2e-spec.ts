import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorReason } from '@app/common/errors/error-reason';
import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { newCallerKey, writeCallerKeys, type CallerEntry } from '../support/caller-keys';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app';
import { createTestDatabase, testDatabaseProviders, type TestDatabase } from '../support/test-databases';

const provider = testDatabaseProviders()[0];

describe('Admin page sign-in', () => {
  let sandbox: ProcessorSandbox;
  let db: TestDatabase;
  let app: TestApp;
  let dir: string;
  let file: string;
  const keys = { admin: '', shop: '' };
  const callers = (): Record<string, CallerEntry> => ({
    'tenant-a-admin': { tenant: 'tenant-a', key: 'env:ADMIN_KEY', scopes: ['admin'] },
    shop: { tenant: 'tenant-a', key: 'env:SHOP_KEY', scopes: ['customers:create'] },
  });

  beforeAll(async () => {
    sandbox = new ProcessorSandbox();
    await sandbox.start();
    db = await createTestDatabase(provider);
    dir = mkdtempSync(path.join(os.tmpdir(), 'admin-login-'));
    file = path.join(dir, 'callers.yaml');
    Object.assign(keys, { admin: newCallerKey(), shop: newCallerKey() });
    writeCallerKeys(file, callers());
    app = await startTestApp(db.url, sandbox, { CALLER_KEYS_FILE: file, ADMIN_KEY: keys.admin, SHOP_KEY: keys.shop });
  });
  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const page = (cookie?: string) => fetch(`${app.httpUrl}/admin`, { headers: cookie ? { cookie } : {} });
  const login = (token: string) =>
    fetch(`${app.httpUrl}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() });
  const sessionOf = (response: Response) => response.headers.get('set-cookie')!.split(';')[0];
  const auditLines = () => app.logs.parsed().filter((line) => line.audit === true);

  it('shows nothing but its sign-in form without a session: no lookup form, no processor list, no script', async () => {
    const response = await page();
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).toContain('<form id="login"');
    expect(html).not.toMatch(/id="(search|results|connector)"/);
    expect(html).not.toContain('stripe');
    expect(html).not.toContain('<script');
    expect(response.headers.get('content-security-policy')).not.toContain('script-src');
  });

  it.each<[string, () => string, number, ErrorReason]>([
    ['a wrong token', () => 'not-the-admin-token-000', 401, ErrorReason.AdminUnauthenticated],
    ['a caller key without the admin scope', () => keys.shop, 403, ErrorReason.CallerForbidden],
  ])('refuses %s with the form again and the reason, sets no session, and audits it', async (_case, token, status, reason) => {
    const response = await login(token());
    const html = await response.text();

    expect(response.status).toBe(status);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(html).toContain('<form id="login"');
    expect(html).toContain('role="alert"');
    expect(html).not.toContain(token());
    expect(auditLines().at(-1)).toMatchObject({ target: 'POST /admin/login', outcome: reason });
  });

  it('signs the operator in with a one-hour HttpOnly, SameSite=Strict session that holds no token, then shows the lookup page', async () => {
    const response = await login(TEST_ADMIN_TOKEN);
    const cookie = response.headers.get('set-cookie')!;
    const signedIn = await page(sessionOf(response));
    const html = await signedIn.text();

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin');
    expect(cookie).toMatch(/^connector_service_admin=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+; Max-Age=3600; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(TEST_ADMIN_TOKEN);
    expect(html).toContain('id="search"');
    expect(html).toContain('Signed in as operator (every tenant)');
    expect(auditLines().at(-1)).toMatchObject({ actor: 'operator', action: 'admin.login', outcome: 'ok' });
  });

  it('reads the admin API with the session only for the page’s own GETs (x-admin-page), never for writes', async () => {
    const session = sessionOf(await login(TEST_ADMIN_TOKEN));
    const url = `${app.httpUrl}/v1/admin/customer-mappings`;

    const withHeader = await fetch(url, { headers: { cookie: session, 'x-admin-page': '1' } });
    const withoutHeader = await fetch(url, { headers: { cookie: session } });
    const write = await fetch(`${url}/0190f0a4-5b6c-7d8e-9f01-23456789abcd/release`, { method: 'POST', headers: { cookie: session, 'x-admin-page': '1' } });

    expect(withHeader.status).toBe(200);
    expect(withoutHeader.status).toBe(401);
    expect(write.status).toBe(401);
  });

  it('ignores a tampered or foreign session cookie', async () => {
    const session = sessionOf(await login(TEST_ADMIN_TOKEN));
    const [name, value] = session.split('=');
    const [body, signature] = value.split('.');
    const forged = `${name}=${Buffer.from(JSON.stringify({ a: 'operator', k: 'operator', c: 'x', e: Date.now() + 1e9 })).toString('base64url')}.${signature}`;

    for (const cookie of [`${name}=${body}.${signature.slice(0, -2)}AA`, forged, `${name}=garbage`]) {
      expect(await (await page(cookie)).text()).toContain('<form id="login"');
    }
  });

  it('signs a tenant administrator (a caller key with the admin scope) in to its tenant, and ends the session when the key is revoked', async () => {
    const response = await login(keys.admin);
    const session = sessionOf(response);
    const before = await (await page(session)).text();
    const otherTenant = await fetch(`${app.httpUrl}/v1/admin/customer-mappings`, { headers: { cookie: session, 'x-admin-page': '1', 'x-tenant-id': 'tenant-b' } });

    writeCallerKeys(file, { shop: callers().shop });
    await app.service.reloadCallerKeys();
    const after = await (await page(session)).text();

    expect(before).toContain('Signed in as tenant-a-admin (tenant tenant-a)');
    expect(otherTenant.status).toBe(403);
    expect(after).toContain('<form id="login"');
    expect(after).not.toContain('id="search"');
  });

  it('signs out: the cookie is cleared', async () => {
    const response = await fetch(`${app.httpUrl}/admin/logout`, { method: 'POST', redirect: 'manual' });

    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/^connector_service_admin=; Max-Age=0; /);
  });
});
