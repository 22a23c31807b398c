import { ErrorReason } from '@app/common/errors/error-reason';
import { GrpcStatus } from '@app/common/errors/grpc-status';
import { createCustomer, useE2eEnvironment } from './support/e2e-environment';
import { uniqueCustomerId } from './support/expectations';
import { getJson, startTestApp, stripeConfigHeader, TEST_ADMIN_TOKEN } from './support/test-app';
import { createTestDatabase, testDatabaseProviders } from './support/test-databases';

const ADMIN_SERVICE = 'connector_service.admin.v1.CustomerMappingAdminService';
const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

describe.each(testDatabaseProviders())('Admin lookup of mappings on %s', (provider) => {
  const env = useE2eEnvironment(provider);
  const merchantCustomerId = uniqueCustomerId('admin');
  const ids: Record<string, string> = {};

  const create = (apiKey: string, merchant: string, tenant = 'public', customerId = merchantCustomerId) =>
    createCustomer(env.app, 'rest', { merchant_customer_id: customerId }, {
      'x-connector-config': stripeConfigHeader(env.sandbox, apiKey),
      'x-merchant-id': merchant,
      'x-tenant-id': tenant,
    });
  const list = (query: string, headers: Record<string, string> = auth) => getJson(`${env.app.httpUrl}/v1/admin/customer-mappings${query}`, headers);

  beforeAll(async () => {
    ids.accountA = (await create('sk_test_51AdminAccountA', 'merchant-a')).response!.connector_customer_id!;
    ids.accountB = (await create('sk_test_51AdminAccountB', 'merchant-a')).response!.connector_customer_id!;
    ids.otherMerchant = (await create('sk_test_51AdminAccountA', 'merchant-b')).response!.connector_customer_id!;
    ids.otherTenant = (await create('sk_test_51AdminAccountA', 'merchant-a', 'tenant-2')).response!.connector_customer_id!;
    for (let i = 0; i < 5; i += 1) await create('sk_test_51AdminAccountA', 'merchant-page', 'public', uniqueCustomerId('page'));
  });

  it.each([
    ['no token', {}, 401, ErrorReason.AdminUnauthenticated],
    ['a wrong token', { authorization: 'Bearer not-the-token-at-all' }, 401, ErrorReason.AdminUnauthenticated],
    ['a non-bearer scheme', { authorization: `Basic ${TEST_ADMIN_TOKEN}` }, 401, ErrorReason.AdminUnauthenticated],
  ])('refuses %s with 401', async (_, headers, status, reason) => {
    const response = await list('', headers);

    expect(response.status).toBe(status);
    expect(response.body.error.reason).toBe(reason);
  });

  it('refuses gRPC calls without the token with UNAUTHENTICATED', async () => {
    const result = await env.app.grpc.call(ADMIN_SERVICE, 'ListCustomerMappings', {});

    expect(result.error?.code).toBe(GrpcStatus.UNAUTHENTICATED);
  });

  it('finds a merchant customer at every processor account at once', async () => {
    const response = await list(`?merchant_id=merchant-a&merchant_customer_id=${merchantCustomerId}`);

    expect(response.status).toBe(200);
    expect(response.body.mappings.map((m: { connector_customer_id: string }) => m.connector_customer_id).sort()).toEqual([ids.accountA, ids.accountB].sort());
    expect(response.body.mappings[0]).toEqual({
      id: expect.any(String),
      tenant_id: 'public',
      merchant_id: 'merchant-a',
      merchant_customer_id: merchantCustomerId,
      connector: 'stripe',
      connector_account: expect.stringMatching(/^[0-9a-f]{64}$/),
      connector_customer_id: expect.stringMatching(/^cus_/),
      status: 'active',
      test_mode: true,
      idempotency_key: expect.any(String),
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });

  it('finds a mapping by the processor customer id, with or without the connector', async () => {
    for (const query of [`?connector_customer_id=${ids.accountB}`, `?connector=stripe&connector_customer_id=${ids.accountB}`]) {
      const response = await list(query);
      expect(response.body.mappings).toEqual([expect.objectContaining({ connector_customer_id: ids.accountB, merchant_id: 'merchant-a' })]);
    }
  });

  it('never shows another tenant’s mappings', async () => {
    const publicView = await list(`?connector_customer_id=${ids.otherTenant}`);
    const tenantView = await list(`?connector_customer_id=${ids.otherTenant}`, { ...auth, 'x-tenant-id': 'tenant-2' });
    const byId = await getJson(`${env.app.httpUrl}/v1/admin/customer-mappings/${tenantView.body.mappings[0].id}`, auth);

    expect(publicView.body.mappings).toEqual([]);
    expect(tenantView.body.mappings).toHaveLength(1);
    expect(byId.status).toBe(404);
  });

  it('pages through results newest first with a cursor, limit at most 100', async () => {
    const first = await list('?merchant_id=merchant-page&limit=2');
    const second = await list(`?merchant_id=merchant-page&limit=2&cursor=${first.body.next_cursor}`);
    const third = await list(`?merchant_id=merchant-page&limit=2&cursor=${second.body.next_cursor}`);
    const all = [...first.body.mappings, ...second.body.mappings, ...third.body.mappings].map((m: { id: string }) => m.id);

    expect(all).toHaveLength(5);
    expect(new Set(all).size).toBe(5);
    expect([...all].sort().reverse()).toEqual(all);
    expect(third.body.next_cursor).toBeUndefined();
    await expect(list('?limit=101')).resolves.toMatchObject({ status: 400, body: { error: { field_violations: [{ field: 'limit' }] } } });
    await expect(list('?cursor=bm90LWFuLWlk')).resolves.toMatchObject({ status: 400, body: { error: { field_violations: [{ field: 'cursor' }] } } });
    await expect(list('?connector=nonesuch')).resolves.toMatchObject({ status: 400, body: { error: { field_violations: [{ field: 'connector' }] } } });
  });

  it('serves the same lookups over gRPC', async () => {
    const page = await env.app.grpc.call<{ mappings: { id: string; connector_customer_id: string }[] }>(
      ADMIN_SERVICE,
      'ListCustomerMappings',
      { merchant_id: 'merchant-a', merchant_customer_id: merchantCustomerId, limit: 10 },
      auth,
    );
    const one = await env.app.grpc.call<{ id: string }>(ADMIN_SERVICE, 'GetCustomerMapping', { id: page.response!.mappings[0].id }, auth);
    const missing = await env.app.grpc.call(ADMIN_SERVICE, 'GetCustomerMapping', { id: '00000000-0000-7000-8000-000000000000' }, auth);

    expect(page.response!.mappings).toHaveLength(2);
    expect(one.response!.id).toBe(page.response!.mappings[0].id);
    expect(missing.error?.code).toBe(GrpcStatus.NOT_FOUND);
  });

  it('shows one customer: its profiles at every account and its operations, within the tenant', async () => {
    const overview = (query: string, headers: Record<string, string> = auth) => getJson(`${env.app.httpUrl}/v1/admin/customers/${merchantCustomerId}${query}`, headers);

    const shown = await overview('?merchant_id=merchant-a');
    const otherTenant = await overview('?merchant_id=merchant-a', { ...auth, 'x-tenant-id': 'tenant-2' });
    const noMerchant = await overview('');
    const unauthenticated = await overview('?merchant_id=merchant-a', {});

    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ merchant_id: 'merchant-a', merchant_customer_id: merchantCustomerId, operations: [] });
    expect(shown.body.profiles.map((p: { connector_customer_id: string }) => p.connector_customer_id).sort()).toEqual([ids.accountA, ids.accountB].sort());
    expect(shown.body.profiles[0]).toMatchObject({ connector: 'stripe', account: '', status: 'active', test_mode: true, mapping_id: expect.any(String) });
    expect(otherTenant.body.profiles.map((p: { connector_customer_id: string }) => p.connector_customer_id)).toEqual([ids.otherTenant]);
    expect(noMerchant.status).toBe(400);
    expect(noMerchant.body.error.field_violations).toEqual([expect.objectContaining({ field: 'merchant_id' })]);
    expect(unauthenticated.status).toBe(401);
  });

  it('is disabled (403) when ADMIN_API_TOKEN is unset', async () => {
    const db = await createTestDatabase(provider);
    const app = await startTestApp(db.url, env.sandbox, { ADMIN_API_TOKEN: '' });
    try {
      const rest = await getJson(`${app.httpUrl}/v1/admin/customer-mappings`, auth);
      const grpc = await app.grpc.call(ADMIN_SERVICE, 'ListCustomerMappings', {}, auth);

      expect(rest.status).toBe(403);
      expect(rest.body.error.reason).toBe(ErrorReason.AdminDisabled);
      expect(grpc.error?.code).toBe(GrpcStatus.PERMISSION_DENIED);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
