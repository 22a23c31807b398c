import type { Registry } from 'prom-client';
import { createMetricsRegistry, RequestMetrics } from './metrics';
import type { RequestSummary } from './request-summary';

const summary = (overrides: Partial<RequestSummary>): RequestSummary => ({
  requestId: 'req-1',
  transport: 'http',
  operation: 'POST /v1/customers',
  status: 201,
  tenantId: 'public',
  merchantId: 'merchant-secret-id',
  connector: 'stripe',
  outcome: 'created',
  durationMs: 120,
  processorMs: 80,
  ...overrides,
});

describe(RequestMetrics.name, () => {
  let registry: Registry;
  let sut: RequestMetrics;

  beforeEach(() => {
    registry = createMetricsRegistry();
    sut = new RequestMetrics(registry);
  });

  it('counts requests by transport, operation, connector and outcome, and creates vs replays', async () => {
    sut.request(summary({}));
    sut.request(summary({ transport: 'grpc', operation: 'types.CustomerService/Create', status: 0, outcome: 'replayed' }));
    sut.request(summary({ connector: undefined, outcome: 'VALIDATION_FAILED', status: 400 }));

    const text = await registry.metrics();
    expect(text).toContain('connector_service_requests_total{transport="http",operation="POST /v1/customers",connector="stripe",outcome="created"} 1');
    expect(text).toContain('connector_service_requests_total{transport="grpc",operation="types.CustomerService/Create",connector="stripe",outcome="replayed"} 1');
    expect(text).toContain('connector_service_requests_total{transport="http",operation="POST /v1/customers",connector="none",outcome="VALIDATION_FAILED"} 1');
    expect(text).toContain('connector_service_customer_creates_total{connector="stripe",result="created"} 1');
    expect(text).toContain('connector_service_customer_creates_total{connector="stripe",result="replayed"} 1');
    expect(text).toContain('connector_service_request_duration_seconds_count{transport="http",operation="POST /v1/customers"} 2');
  });

  it('records processor call latency by connector and status', async () => {
    sut.processorCall('stripe', '200', 0.08);
    sut.processorCall('stripe', 'timeout', 20);

    const text = await registry.metrics();
    expect(text).toContain('connector_service_processor_request_duration_seconds_bucket{le="0.1",connector="stripe",status="200"} 1');
    expect(text).toContain('connector_service_processor_request_duration_seconds_count{connector="stripe",status="timeout"} 1');
  });

  it('never labels with merchant, tenant or request ids', async () => {
    sut.request(summary({}));

    const text = await registry.metrics();
    expect(text).not.toContain('merchant-secret-id');
    expect(text).not.toContain('req-1');
    expect(text).not.toMatch(/tenant/);
  });

  it('keeps a registry per instance, with the prefixed default process metrics', async () => {
    const other = createMetricsRegistry();
    new RequestMetrics(other);
    sut.request(summary({}));

    expect(await registry.metrics()).toContain('connector_service_process_cpu_seconds_total');
    expect(await other.metrics()).not.toContain('outcome="created"} 1');
  });
});
