import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createCustomer, useE2eEnvironment } from '../support/e2e-environment';
import { uniqueCustomerId } from '../support/expectations';
import { lifecycle } from '../support/lifecycle-client';
import { namedAccountsFile } from '../support/named-accounts';
import { stripeConfigHeader, TEST_ADMIN_TOKEN } from '../support/test-app';
import { testDatabaseProviders } from '../support/test-databases';

/** Debian's chromium; `npm test` (scripts/test.sh) installs it when absent. */
const CHROMIUM = '/usr/bin/chromium';
// Without the background-networking flags Chromium waits on network it cannot reach here.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const XSS_ID = '<img/src=x/onerror=window.__xss=1>';

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('Admin page (GET /admin) in headless Chromium', () => {
  const env = useE2eEnvironment(testDatabaseProviders()[0]);
  const merchant = `admin-page-${process.pid}`;
  const created: string[] = [];
  const everywhere = uniqueCustomerId('page-everywhere');
  let browser: Browser;
  let page: Page;
  const foreignRequests: string[] = [];
  const consoleErrors: string[] = [];

  const rows = () => page.locator('#results tbody tr');
  /** Clicks, then waits for the page to finish that call: it disables its buttons while one runs. */
  const clickAndSettle = async (selector: string) => {
    await page.click(selector);
    await page.waitForSelector('#search-button:not([disabled])');
  };
  const search = async (options: { token?: string; query?: string; kind?: 'merchant_customer_id' | 'connector_customer_id'; merchant?: string; limit?: string }) => {
    await page.fill('#token', options.token ?? TEST_ADMIN_TOKEN);
    await page.check(`input[name="kind"][value="${options.kind ?? 'merchant_customer_id'}"]`);
    await page.fill('#query', options.query ?? '');
    await page.fill('#merchant', options.merchant ?? '');
    await page.selectOption('#limit', options.limit ?? '20');
    await clickAndSettle('#search-button');
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; npm test does it)`);
    await env.restartApp({ CONNECTOR_ACCOUNTS_FILE: namedAccountsFile(env.sandbox) });
    const scope = { 'x-merchant-id': `${merchant}-everywhere` };
    const made = await lifecycle(env.app, 'rest', 'createProfiles', { merchant_customer_id: everywhere, accounts: ['stripe-eu', 'mollie-eu'], customer_name: 'Ann Lee', email: { value: 'ann@example.com' }, test_mode: true }, scope);
    expect(made.body).toMatchObject({ status: 'completed' });
    const changed = await lifecycle(env.app, 'rest', 'updateProfiles', { merchant_customer_id: everywhere, email: { value: 'ann.lee@example.com' } }, scope);
    expect(changed.body).toMatchObject({ status: 'completed' });
    for (let i = 0; i < 7; i += 1) {
      const outcome = await createCustomer(env.app, 'rest', { merchant_customer_id: uniqueCustomerId('page') }, { 'x-connector-config': stripeConfigHeader(env.sandbox), 'x-merchant-id': merchant });
      created.push(outcome.response!.connector_customer_id!);
    }
    await createCustomer(env.app, 'rest', { merchant_customer_id: XSS_ID }, { 'x-connector-config': stripeConfigHeader(env.sandbox), 'x-merchant-id': `${merchant}-xss` });
    // launch() gives Chromium a fresh temporary user-data dir of its own, removed on close.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => !request.url().startsWith(env.app.httpUrl) && foreignRequests.push(request.url()));
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    const response = await page.goto(`${env.app.httpUrl}/admin`);
    expect(response?.status()).toBe(200);
    // Sign in: the page shows nothing but its login form before.
    await page.fill('#token', TEST_ADMIN_TOKEN);
    await Promise.all([page.waitForURL(`${env.app.httpUrl}/admin`), page.click('#sign-in')]);
    await page.waitForSelector('#search-button');
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lists a merchant’s mappings in the results table and pages through them', async () => {
    await search({ merchant, limit: '5' });
    expect(await rows().count()).toBe(5);
    const firstPage = await rows().allTextContents();
    expect(await page.isEnabled('#next')).toBe(true);
    expect(await page.isDisabled('#previous')).toBe(true);

    await clickAndSettle('#next');
    expect(await rows().count()).toBe(2);
    const secondPage = await rows().allTextContents();
    expect(await page.textContent('#status')).toBe('Page 2: 2 mappings');
    expect(await page.isDisabled('#next')).toBe(true);

    await clickAndSettle('#previous');
    expect(await rows().count()).toBe(5);
    expect(await rows().allTextContents()).toEqual(firstPage);
    const shown = [...firstPage, ...secondPage].join('\n');
    for (const id of created) expect(shown).toContain(id);
  });

  it('shows a customer’s processor profiles and its operations step by step', async () => {
    await search({ query: everywhere, merchant: `${merchant}-everywhere` });
    expect(await rows().count()).toBe(2);

    await clickAndSettle('#results tbody tr:first-child button.profiles');
    await page.waitForSelector('#customer', { state: 'visible' });
    expect(await page.textContent('#customer-title')).toBe(`Customer ${everywhere} of merchant ${merchant}-everywhere`);
    const profiles = (await page.locator('#profiles tbody tr').allTextContents()).join('\n');
    expect(await page.locator('#profiles tbody tr').count()).toBe(2);
    expect(profiles).toContain('stripe-eu');
    expect(profiles).toContain('mollie-eu');
    const operations = page.locator('#operations tbody tr');
    // Newest first: the update's two steps, then the create's.
    expect(await operations.count()).toBe(4);
    const cells = async (row: number) => operations.nth(row).locator('td').allTextContents();
    expect((await cells(0)).slice(1, 3)).toEqual(['update', 'completed']);
    expect((await cells(0)).slice(6, 8)).toEqual(['succeeded', 'updated']);
    expect((await cells(2)).slice(1, 3)).toEqual(['create', 'completed']);
    expect((await cells(2)).slice(6, 8)).toEqual(['succeeded', 'created']);
    expect(await page.textContent('#operations-status')).toBe('2 operations, newest first');
  });

  it('finds a mapping by the processor customer id', async () => {
    await search({ kind: 'connector_customer_id', query: created[3] });

    expect(await rows().count()).toBe(1);
    expect(await rows().first().locator('td').nth(3).textContent()).toBe(created[3]);
    expect(await rows().first().locator('td').nth(0).textContent()).toBe(merchant);
  });

  it('renders the results table (screenshot)', async () => {
    await search({ merchant, limit: '10' });
    expect(await rows().count()).toBe(7);

    const screenshot = await page.screenshot({ fullPage: true });
    const table = await page.locator('#results').boundingBox();

    expect(screenshot.length).toBeGreaterThan(20_000);
    expect(pngSize(screenshot)).toEqual({ width: 1280, height: expect.any(Number) });
    expect(await page.isVisible('#results')).toBe(true);
    expect(table!.height).toBeGreaterThan(7 * 20);
    const tableShot = await page.locator('#results').screenshot();
    expect(Math.abs(pngSize(tableShot).height - table!.height)).toBeLessThanOrEqual(1);
  });

  it('shows data as text, never as markup', async () => {
    await search({ query: XSS_ID });

    expect(await rows().count()).toBe(1);
    expect(await rows().first().locator('td').nth(1).textContent()).toBe(XSS_ID);
    expect(await page.locator('#results img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();

    await clickAndSettle('#results tbody tr:first-child button.profiles');
    await page.waitForSelector('#customer', { state: 'visible' });
    expect(await page.textContent('#customer-title')).toBe(`Customer ${XSS_ID} of merchant ${merchant}-xss`);
    expect(await page.locator('#customer img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('shows the admin API’s 401 message for a wrong token, and no results', async () => {
    await search({ token: 'not-the-admin-token-000', merchant });

    await page.waitForSelector('#error', { state: 'visible' });
    expect(await page.textContent('#error')).toBe('401: Missing or wrong admin token: send Authorization: Bearer <ADMIN_API_TOKEN>');
    expect(await page.isVisible('#results')).toBe(false);
  });

  it('talked only to this service, without a console error (the CSP allowed its own script and style)', () => {
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors.filter((text) => !text.includes('401'))).toEqual([]);
  });
});
