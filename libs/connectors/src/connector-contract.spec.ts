import { randomUUID } from 'node:crypto';
import type { AppConfig } from '@app/common/config/app-config';
import { registerSensitiveValues, runWithRequestContext } from '@app/common/context/request-context';
import { createAppLogger } from '@app/common/logging/logger';
import { captureLog } from '@app/testing/capturing-log';
import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { ErrorReason } from '@app/common/errors/error-reason';
import { flowHandler, type Connector, type CreateCustomerCall, type ExistingCustomerCall } from './connector';
import { registeredConnectors } from '@app/testing/connectors/registered-connectors';
import { ConnectorRegistry } from './connector-registry';
import { selectConnector } from './connector-selection';
import { ConnectorHttpClient, type InboundResponse } from './http/connector-http-client';
import { driving } from '@app/testing/connectors/connector-driver';
import { answering, errorOf } from '@app/testing/connectors/connector-spec-helpers';
import { FULL_CUSTOMER, FULL_CUSTOMER_PERSONAL_DATA, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

function fixtureOf(connector: Connector): ConnectorTestFixture {
  const name = connector.descriptor.name;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(`./${name}/${name}.fixture`) as { fixture: ConnectorTestFixture }).fixture;
}

/**
 * One suite, every registered connector: the same promises for all — a customer created and its
 * id returned, a request valid against the processor's contract, retries that do not duplicate
 * where the connector says so, every documented error shape mapped with the processor's own code,
 * limits refused before any call, no credential or personal data in any log line.
 */
const connectors = registeredConnectors();
const registry = new ConnectorRegistry(connectors);

describe.each(connectors.map((connector) => [connector.descriptor.displayName, connector] as const))('%s connector contract', (_, connector) => {
  const fixture = fixtureOf(connector);
  const driven = driving(connector);
  const { descriptor } = connector;
  const sandbox = new ProcessorSandbox();
  const log = captureLog();
  let http: ConnectorHttpClient;
  let baseUrl: string;

  beforeAll(async () => {
    await sandbox.start();
    http = new ConnectorHttpClient({ connectorTimeoutMs: 3_000 } as AppConfig, createAppLogger({ level: 'info', destination: log.stream }));
    baseUrl = fixture.baseUrl?.(sandbox) ?? (fixture.simulator ? sandbox.baseUrl(fixture.simulator) : descriptor.baseUrls.sandbox);
  });
  afterAll(async () => {
    await http.onModuleDestroy();
    await sandbox.close();
  });
  beforeEach(() => sandbox.reset());

  const call = (overrides: Partial<CreateCustomerCall> = {}): CreateCustomerCall => ({
    customer: FULL_CUSTOMER,
    credentials: fixture.credentials,
    baseUrl,
    idempotencyKey: randomUUID(),
    reference: 'abcdefghijklmnopqrstuvwxyz',
    testMode: true,
    ...overrides,
  });
  const secrets = () => descriptor.credentialFields.filter((f) => f.secret).map((f) => fixture.credentials[f.name]).filter(Boolean);
  const inRequestContext = <T>(fn: () => Promise<T>) =>
    runWithRequestContext({ requestId: randomUUID(), transport: 'grpc', sensitiveValues: new Set() }, () => {
      registerSensitiveValues(...secrets(), ...FULL_CUSTOMER_PERSONAL_DATA);
      return fn();
    });
  const customerCount = () => (fixture.simulator ? sandbox.simulators[fixture.simulator].customerCount() : 0);

  it('declares itself completely: names, credentials, https endpoints, capabilities', () => {
    expect(descriptor.name).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(descriptor.configVariant).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    expect(descriptor.credentialFields.filter((f) => f.required).length).toBeGreaterThan(0);
    for (const url of Object.values(descriptor.baseUrls)) expect(new URL(url).protocol).toBe('https:');
    expect(descriptor.capabilities.fieldsSent.length).toBeGreaterThan(0);
    for (const text of [descriptor.capabilities.idFormat, descriptor.capabilities.idempotency, descriptor.capabilities.duplicates]) expect(text.length).toBeGreaterThan(3);
  });

  it('is selected by its x-connector-config variant and by its legacy x-auth headers alike', () => {
    const config = JSON.stringify({ config: { [descriptor.configVariant]: fixture.credentials } });
    const byConfig = selectConnector(registry, (name) => (name === 'x-connector-config' ? config : undefined));
    const legacyHeaders: Record<string, string> = { 'x-connector': descriptor.name, 'x-auth': descriptor.legacyAuth.type };
    for (const [header, field] of Object.entries(descriptor.legacyAuth.fields)) legacyHeaders[header] = fixture.credentials[field] ?? 'unused';
    for (const header of ['x-api-key', 'x-key1', 'x-key2', 'x-api-secret']) legacyHeaders[header] ??= 'unused';
    const byLegacy = selectConnector(registry, (name) => legacyHeaders[name]);

    expect(byConfig.connector).toBe(connector);
    expect(byLegacy.connector).toBe(connector);
    expect(byLegacy.credentials).toEqual(byConfig.credentials);
  });

  it('accepts a customer using every request field', () => {
    expect(driven.validateCustomer(FULL_CUSTOMER)).toEqual([]);
  });

  it('creates the customer and returns the processor id', async () => {
    const customer = await inRequestContext(() => driven.createCustomer(call(), http));

    expect(customer.connectorCustomerId).toMatch(fixture.idPattern);
    if (fixture.simulator) expect(customerCount()).toBe(1);
  });

  if (fixture.contractProblems) {
    it('sends requests valid against the processor’s published contract', async () => {
      await driven.createCustomer(call(), http);
      await driven.createCustomer(call({ customer: { merchantCustomerId: 'minimal-1', email: 'min@example.com', metadata: {}, featureData: {} } }), http);

      const requests = sandbox.requestsTo(fixture.simulator!);
      expect(requests.length).toBeGreaterThan(0);
      for (const request of requests) expect(fixture.contractProblems!(request)).toEqual([]);
    });
  }

  if (descriptor.capabilities.replaysSafely) {
    it('returns the first customer when the same mapping is retried (declared retry-safe)', async () => {
      const first = call();
      const created = await driven.createCustomer(first, http);
      const retried = await driven.createCustomer({ ...first }, http);

      expect(retried.connectorCustomerId).toBe(created.connectorCustomerId);
      if (fixture.simulator) expect(customerCount()).toBe(1);
    });
  }

  if (fixture.errorCases.length > 0) {
    it.each(fixture.errorCases.map((c) => [c.name, c] as const))('maps %s to our error, keeping the processor’s code', async (_name, errorCase) => {
      sandbox.injectFault(fixture.simulator!, errorCase.fault);

      const error = await errorOf(driven.createCustomer(call(), http));

      expect(error).toMatchObject({ reason: errorCase.reason, details: { connector: { connector: descriptor.name, code: errorCase.code } } });
      expect(error.message).toContain(descriptor.displayName);
    });
  }

  if (fixture.simulator) {
    // What a proxy, a gateway or a broken deploy answers instead of the processor: the shared
    // protocol, not each connector, must read these as unknown outcomes (the customer may exist).
    it.each<[string, InboundResponse, ErrorReason, string]>([
      ['a success status with a body that is not JSON', { status: 200, headers: {}, body: '<html>ok</html>' }, ErrorReason.ConnectorInvalidResponse, 'invalid_response'],
      ['a success status with a JSON null body', { status: 200, headers: {}, body: 'null' }, ErrorReason.ConnectorInvalidResponse, 'invalid_response'],
      ['a proxy’s HTML 502', { status: 502, headers: {}, body: '<html>Bad Gateway</html>' }, ErrorReason.ConnectorUnavailable, 'http_502'],
      ['a gateway’s HTML 503', { status: 503, headers: {}, body: '<html>Service Unavailable</html>' }, ErrorReason.ConnectorUnavailable, 'http_503'],
    ])('reads %s as an unknown outcome, never a customer', async (_case, response, reason, code) => {
      const error = await errorOf(driven.createCustomer(call(), answering(response).http));

      expect(error.reason).toBe(reason);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: descriptor.name, code, httpStatus: response.status } });
    });
  }

  if (fixture.limitCases.length > 0) {
    it.each(fixture.limitCases.map((c) => [c.name, c] as const))('refuses %s before any call, naming the field', (_name, limitCase) => {
      const violations = driven.validateCustomer(limitCase.customer);

      expect(violations).toEqual(expect.arrayContaining([expect.objectContaining({ field: limitCase.field })]));
    });
  }

  describe('the customer lifecycle', () => {
    const flows = ['get', 'update', 'delete'] as const;
    const supports = (flow: (typeof flows)[number]) => flowHandler(connector, flow) !== undefined;
    const existing = (connectorCustomerId: string, merchantCustomerId = FULL_CUSTOMER.merchantCustomerId): ExistingCustomerCall => ({
      connectorCustomerId,
      merchantCustomerId,
      reference: 'abcdefghijklmnopqrstuvwxyz',
      credentials: fixture.credentials,
      baseUrl,
      testMode: true,
    });
    const change = fixture.updateChange ?? { email: 'changed.address@example.com' };
    const changed = { merchantCustomerId: FULL_CUSTOMER.merchantCustomerId, ...change, metadata: {}, featureData: {} };

    it.each(flows)('declares %s, as a handler or as unsupported with the reason', (flow) => {
      const declared = connector.flows[flow];
      expect(declared).toBeDefined();
      if (declared?.shape === 'unsupported') expect(declared.why.length).toBeGreaterThan(10);
    });

    const unsupported = flows.filter((flow) => !supports(flow));
    if (unsupported.length > 0) it.each(unsupported)('answers %s with UNIMPLEMENTED naming the processor, before any call', async (flow) => {
      const run = { get: () => driven.getCustomer(existing('x'), http), update: () => driven.updateCustomer({ ...existing('x'), customer: changed, idempotencyKey: randomUUID() }, http), delete: () => driven.deleteCustomer({ ...existing('x'), idempotencyKey: randomUUID() }, http) }[flow];

      await expect(run()).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotImplemented, message: expect.stringContaining(descriptor.displayName) });
      if (fixture.simulator) expect(sandbox.requestsTo(fixture.simulator)).toHaveLength(0);
    });

    if (supports('get')) {
      it('gets the customer it created', async () => {
        const { connectorCustomerId } = await driven.createCustomer(call(), http);

        const got = await driven.getCustomer(existing(connectorCustomerId), http);

        expect(got.connectorCustomerId).toBe(connectorCustomerId);
        if (fixture.recordsEmail !== false) expect(got.record.email).toBe(FULL_CUSTOMER.email);
      });
    }

    if (supports('update')) {
      it('updates the customer it created, keeping what the change does not name', async () => {
        const { connectorCustomerId } = await driven.createCustomer(call(), http);

        const updated = await driven.updateCustomer({ ...existing(connectorCustomerId), customer: changed, idempotencyKey: randomUUID() }, http);

        expect(updated.connectorCustomerId).toBe(connectorCustomerId);
        if (supports('get') && fixture.recordsEmail !== false) {
          const got = await driven.getCustomer(existing(connectorCustomerId), http);
          expect(got.record).toMatchObject(change);
          const unchanged = change.email === undefined ? 'email' : 'name';
          if (got.record[unchanged] !== undefined) expect(got.record[unchanged]).toBe(FULL_CUSTOMER[unchanged]);
        }
      });
    }

    if (supports('delete')) {
      it('deletes the customer it created; deleting again says it was already gone', async () => {
        const { connectorCustomerId } = await driven.createCustomer(call(), http);
        const deletion = { ...existing(connectorCustomerId), idempotencyKey: randomUUID() };

        await expect(driven.deleteCustomer(deletion, http)).resolves.toMatchObject({ alreadyDeleted: false });
        await expect(driven.deleteCustomer({ ...deletion, idempotencyKey: randomUUID() }, http)).resolves.toMatchObject({ alreadyDeleted: true });
        if (supports('get')) await expect(driven.getCustomer(existing(connectorCustomerId), http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound });
      });
    }

    it('never writes a credential or personal data to a log line in any flow', async () => {
      log.lines.length = 0;
      const { connectorCustomerId } = await inRequestContext(() => driven.createCustomer(call(), http));
      await inRequestContext(async () => {
        if (supports('get')) await driven.getCustomer(existing(connectorCustomerId), http);
        if (supports('update')) await driven.updateCustomer({ ...existing(connectorCustomerId), customer: { ...FULL_CUSTOMER }, idempotencyKey: randomUUID() }, http);
        if (supports('delete')) await driven.deleteCustomer({ ...existing(connectorCustomerId), idempotencyKey: randomUUID() }, http);
      });

      const text = log.lines.join('\n');
      for (const value of [...secrets(), ...FULL_CUSTOMER_PERSONAL_DATA]) expect(text).not.toContain(value);
    });
  });

  it('never writes a credential or the customer’s personal data to a log line', async () => {
    log.lines.length = 0;
    await inRequestContext(() => driven.createCustomer(call(), http));
    for (const errorCase of fixture.errorCases) {
      sandbox.injectFault(fixture.simulator!, errorCase.fault);
      await inRequestContext(() => driven.createCustomer(call(), http).catch(() => undefined));
    }

    const text = log.lines.join('\n');
    for (const value of [...secrets(), ...FULL_CUSTOMER_PERSONAL_DATA]) expect(text).not.toContain(value);
    if (fixture.simulator) expect(text).toContain('processor call');
  });
});
