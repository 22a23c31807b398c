import { Test } from '@nestjs/testing';
import pino from 'pino';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { APP_LOGGER } from '@app/common/logging/logger';
import { BaseUrlPolicy } from '@app/connectors/base-url-policy';
import { conversationFlow, unsupportedFlow, type Connector, type ConnectorCapabilities, type ConnectorCustomer, type CreateCustomerCall, type Credentials, type ProcessorProtocol } from '@app/connectors/connector';
import { CallPolicy } from '@app/connectors/execution/call-policy';
import { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import { ConnectorHttpClient } from '@app/connectors/http/connector-http-client';
import type { CustomerMapping } from '@app/database/mappings/customer-mapping';
import { CUSTOMER_MAPPING_STORE, type CustomerMappingStore } from '@app/database/mappings/customer-mapping.store';
import { strictDouble } from '@app/testing/strict-double';
import { AccountScope } from '../mapping/account-scope';
import { ActiveMappings } from '../mapping/active-mappings';
import { KeyedDigests } from '../mapping/keyed-digests';
import { MappingScopeService } from '../mapping/mapping-scope.service';
import { ReservationProtocol } from '../reservation/reservation-protocol';
import { CreateCustomer, type CreateCustomerCommand } from './create-customer.use-case';
import { UnansweredAttempt } from './unanswered-attempt';

const CONNECTOR_TIMEOUT_MS = 1_000;
const customer: CustomerProfile = { merchantCustomerId: 'merchant-cust-1', email: 'ann@example.com', metadata: {}, featureData: {} };

/** What the fake processor does, as mocks: the flows the executor runs call these. */
interface FakeProcessor {
  testModeOf: jest.Mock<boolean | undefined, [Credentials]> | jest.Mock<boolean | undefined, []>;
  validateCustomer: jest.Mock<FieldViolation[], [CustomerProfile]> | jest.Mock<FieldViolation[], []>;
  createCustomer: jest.Mock<Promise<ConnectorCustomer>, [CreateCustomerCall]>;
  findCreatedCustomer?: jest.Mock<Promise<ConnectorCustomer | undefined>, [CreateCustomerCall]>;
}

/** A connector whose flows answer from `processor` without any HTTP: it declares a lookup only when given one. */
function fakeConnector(processor: FakeProcessor, replaysSafely = true, replayWindowHours?: number, capabilities: Partial<ConnectorCapabilities> = {}): Connector {
  const { findCreatedCustomer } = processor;
  return {
    descriptor: {
      name: 'stripe',
      displayName: 'Stripe',
      configVariant: 'Stripe',
      testModeOf: (credentials: Credentials) => (processor.testModeOf as (c: Credentials) => boolean | undefined)(credentials),
      capabilities: { replaysSafely, replayWindowHours, ...capabilities },
    } as unknown as Connector['descriptor'],
    protocol: strictDouble<ProcessorProtocol>(),
    flows: {
      create: conversationFlow({ validate: (customer) => (processor.validateCustomer as (c: CustomerProfile) => FieldViolation[])(customer), run: (call) => processor.createCustomer(call) }),
      get: unsupportedFlow('not in this fake'),
      update: unsupportedFlow('not in this fake'),
      delete: unsupportedFlow('not in this fake'),
      ...(findCreatedCustomer && { findCreated: conversationFlow<CreateCustomerCall, ConnectorCustomer | undefined>({ run: (call) => findCreatedCustomer(call) }) }),
    },
  };
}

function mapping(overrides: Partial<CustomerMapping> = {}): CustomerMapping {
  return {
    id: '01900000-0000-7000-8000-000000000001',
    tenantId: 'public',
    merchantId: 'DefaultMerchantId',
    merchantCustomerId: customer.merchantCustomerId,
    connector: 'stripe',
    connectorAccount: 'account-hmac',
    connectorCustomerId: null,
    status: 'pending',
    idempotencyKey: 'existing-idempotency-key',
    testMode: true,
    leaseExpiresAt: null,
    attempts: 1,
    profileFingerprint: null,
    erasedAt: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...overrides,
  };
}

const created: ConnectorCustomer = { connectorCustomerId: 'cus_NEW', httpStatus: 200, responseHeaders: { 'request-id': 'req_1' } };

describe(CreateCustomer.name, () => {
  let sut: CreateCustomer;
  let repository: jest.Mocked<CustomerMappingStore>;
  let connector: Connector;
  let processor: FakeProcessor;

  async function build(
    repositoryMethods: Partial<Record<keyof CustomerMappingStore, unknown>>,
    processorOverrides: Partial<FakeProcessor> = {},
    { maxAttempts = 1, replaysSafely = true, replayWindowHours = undefined as number | undefined, capabilities = {} as Partial<ConnectorCapabilities> } = {},
  ) {
    repository = strictDouble<CustomerMappingStore>({ erasedAt: jest.fn().mockResolvedValue(null), ...repositoryMethods });
    processor = { testModeOf: jest.fn(() => true), validateCustomer: jest.fn(() => []), createCustomer: jest.fn(), ...processorOverrides };
    connector = fakeConnector(processor, replaysSafely, replayWindowHours, capabilities);
    const moduleRef = await Test.createTestingModule({
      providers: [
        CreateCustomer,
        ReservationProtocol,
        UnansweredAttempt,
        ConnectorExecutor,
        CallPolicy,
        { provide: APP_CONFIG, useValue: { connectorTimeoutMs: CONNECTOR_TIMEOUT_MS, connectorMaxAttempts: maxAttempts } as AppConfig },
        { provide: APP_LOGGER, useValue: pino({ level: 'silent' }) },
        { provide: CUSTOMER_MAPPING_STORE, useValue: repository },
        { provide: MappingScopeService, useValue: strictDouble<MappingScopeService>({ connectorAccount: jest.fn(() => 'account-hmac'), customerReference: jest.fn(() => 'stablereference0000000000a'), derivedKey: jest.fn(() => Buffer.alloc(32)) }) },
        AccountScope,
        KeyedDigests,
        ActiveMappings,
        { provide: BaseUrlPolicy, useValue: strictDouble<BaseUrlPolicy>({ resolve: jest.fn(() => 'https://api.stripe.com/') }) },
        { provide: ConnectorHttpClient, useValue: strictDouble<ConnectorHttpClient>() },
      ],
    }).compile();
    sut = moduleRef.get(CreateCustomer);
    moduleRef.get(CallPolicy).onModuleDestroy();
  }

  const command = (overrides: Partial<CustomerProfile> = {}): CreateCustomerCommand => ({
    scope: { tenantId: 'public', merchantId: 'DefaultMerchantId' },
    selection: { connector, credentials: { api_key: 'sk_test_123' } },
    customer: { ...customer, ...overrides },
  });

  afterEach(() => jest.useRealTimers());

  it('returns an active mapping without calling the processor, whatever the processor’s limits would say', async () => {
    await build({ findByKey: jest.fn().mockResolvedValue(mapping({ status: 'active', connectorCustomerId: 'cus_OLD' })) }, { validateCustomer: jest.fn(() => [{ field: 'email', description: 'required by Stax' }]) });

    await expect(sut.execute(command())).resolves.toMatchObject({ connectorCustomerId: 'cus_OLD', created: false, responseHeaders: {} });
    expect(processor.createCustomer).not.toHaveBeenCalled();
  });

  it('serves a repeat from memory once the mapping is known to be active: no database round trip', async () => {
    await build({ findByKey: jest.fn().mockResolvedValue(mapping({ status: 'active', connectorCustomerId: 'cus_OLD' })) });

    await sut.execute(command());
    await expect(sut.execute(command())).resolves.toMatchObject({ connectorCustomerId: 'cus_OLD', created: false });
    expect(repository.findByKey).toHaveBeenCalledTimes(1);
  });

  it('reserves, calls the processor with the reservation idempotency key, then activates', async () => {
    await build({
      findByKey: jest.fn().mockResolvedValue(null),
      reserve: jest.fn().mockResolvedValue(true),
      activate: jest.fn().mockResolvedValue(true),
    });
    processor.createCustomer.mockResolvedValue(created);

    await expect(sut.execute(command())).resolves.toMatchObject({ connectorCustomerId: 'cus_NEW', created: true, merchantCustomerId: 'merchant-cust-1' });

    const [key, reservation] = repository.reserve.mock.calls[0];
    expect(key).toEqual({ tenantId: 'public', merchantId: 'DefaultMerchantId', connector: 'stripe', connectorAccount: 'account-hmac', merchantCustomerId: 'merchant-cust-1' });
    expect(processor.createCustomer.mock.calls[0][0]).toMatchObject({
      idempotencyKey: reservation.idempotencyKey,
      reference: 'stablereference0000000000a',
      baseUrl: 'https://api.stripe.com/',
      testMode: true,
    });
    expect(repository.activate).toHaveBeenCalledWith(reservation.id, reservation.lease.token, 'cus_NEW');
  });

  it('returns the winner of a lost reservation race without calling the processor', async () => {
    await build({
      findByKey: jest.fn().mockResolvedValueOnce(null).mockResolvedValueOnce(mapping({ status: 'active', connectorCustomerId: 'cus_WINNER' })),
      reserve: jest.fn().mockResolvedValue(false),
    });

    await expect(sut.execute(command())).resolves.toMatchObject({ connectorCustomerId: 'cus_WINNER', created: false });
    expect(processor.createCustomer).not.toHaveBeenCalled();
  });

  it('resumes a pending mapping whose lease lapsed with its original idempotency key', async () => {
    await build({
      findByKey: jest.fn().mockResolvedValue(mapping({ leaseExpiresAt: new Date(Date.now() - 1_000) })),
      takeOver: jest.fn().mockResolvedValue(true),
      activate: jest.fn().mockResolvedValue(true),
    });
    processor.createCustomer.mockResolvedValue(created);

    await expect(sut.execute(command())).resolves.toMatchObject({ connectorCustomerId: 'cus_NEW', created: true });
    expect(processor.createCustomer.mock.calls[0][0].idempotencyKey).toBe('existing-idempotency-key');
  });

  it('waits for a pending mapping held by another request and returns its result', async () => {
    jest.useFakeTimers();
    await build({
      findByKey: jest
        .fn()
        .mockResolvedValueOnce(mapping({ leaseExpiresAt: new Date(Date.now() + 10_000) }))
        .mockResolvedValueOnce(mapping({ leaseExpiresAt: new Date(Date.now() + 10_000) }))
        .mockResolvedValueOnce(mapping({ status: 'active', connectorCustomerId: 'cus_OTHER' })),
    });

    const result = sut.execute(command());
    await jest.advanceTimersByTimeAsync(1_000);

    await expect(result).resolves.toMatchObject({ connectorCustomerId: 'cus_OTHER', created: false });
    expect(processor.createCustomer).not.toHaveBeenCalled();
  });

  it('gives up with CREATE_IN_PROGRESS when another request holds the mapping past the bound', async () => {
    jest.useFakeTimers();
    await build({ findByKey: jest.fn().mockImplementation(async () => mapping({ leaseExpiresAt: new Date(Date.now() + 60_000) })) });

    const result = sut.execute(command());
    const assertion = expect(result).rejects.toMatchObject({ reason: ErrorReason.CreateInProgress });
    await jest.advanceTimersByTimeAsync(CONNECTOR_TIMEOUT_MS + 10_000);

    await assertion;
  });

  it.each([
    ['a definite refusal frees the reservation', false, 'remove'],
    ['an unknown outcome keeps the reservation and its key', true, 'release'],
  ] as const)('%s', async (_, outcomeUnknown, settle) => {
    await build({
      findByKey: jest.fn().mockResolvedValue(null),
      reserve: jest.fn().mockResolvedValue(true),
      [settle]: jest.fn().mockResolvedValue(undefined),
    });
    const processorError = new DomainError(ErrorReason.ConnectorUnavailable, 'Stripe returned HTTP 503', { outcomeUnknown });
    processor.createCustomer.mockRejectedValue(processorError);

    await expect(sut.execute(command())).rejects.toBe(processorError);
    const { id, lease } = repository.reserve.mock.calls[0][1];
    expect(repository[settle]).toHaveBeenCalledWith(id, lease.token);
  });

  it('returns what another request recorded when its lease was lost during the call', async () => {
    await build({
      findByKey: jest.fn().mockResolvedValueOnce(null).mockResolvedValueOnce(mapping({ status: 'active', connectorCustomerId: 'cus_NEW' })),
      reserve: jest.fn().mockResolvedValue(true),
      activate: jest.fn().mockResolvedValue(false),
    });
    processor.createCustomer.mockResolvedValue(created);

    await expect(sut.execute(command())).resolves.toMatchObject({ connectorCustomerId: 'cus_NEW', created: false });
  });

  it('refuses a customer over the processor limits before reserving anything', async () => {
    await build({ findByKey: jest.fn().mockResolvedValue(null) }, { validateCustomer: jest.fn(() => [{ field: 'customer_name', description: 'Stripe accepts at most 256 characters' }]) });

    await expect(sut.execute(command())).rejects.toMatchObject({
      reason: ErrorReason.ValidationFailed,
      details: { fieldViolations: [{ field: 'customer_name', description: 'Stripe accepts at most 256 characters' }] },
    });
  });

  it('refuses test_mode that contradicts the credentials', async () => {
    await build({}, { testModeOf: jest.fn(() => false) });

    await expect(sut.execute(command({ testMode: true }))).rejects.toMatchObject({
      reason: ErrorReason.ValidationFailed,
      details: { fieldViolations: [expect.objectContaining({ field: 'test_mode' })] },
    });
  });

  it('shares one processor call between concurrent identical requests in this process', async () => {
    let answer!: (value: ConnectorCustomer) => void;
    await build({
      findByKey: jest.fn().mockResolvedValue(null),
      reserve: jest.fn().mockResolvedValue(true),
      activate: jest.fn().mockResolvedValue(true),
    });
    processor.createCustomer.mockReturnValue(new Promise((resolve) => (answer = resolve)));

    const calls = Array.from({ length: 5 }, () => sut.execute(command()));
    await new Promise(setImmediate);
    answer(created);
    const results = await Promise.all(calls);

    expect(processor.createCustomer).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.connectorCustomerId)).toEqual(Array(5).fill('cus_NEW'));
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  describe('retries', () => {
    const reservedThenActivated = () => ({
      findByKey: jest.fn().mockResolvedValue(null),
      reserve: jest.fn().mockResolvedValue(true),
      activate: jest.fn().mockResolvedValue(true),
      release: jest.fn().mockResolvedValue(undefined),
      remove: jest.fn().mockResolvedValue(undefined),
    });
    const unavailable = (details: ConstructorParameters<typeof DomainError>[2] = {}) => new DomainError(ErrorReason.ConnectorUnavailable, 'Stripe returned HTTP 503', { outcomeUnknown: true, ...details });

    it('retries a transient failure with the same idempotency key when the connector replays safely', async () => {
      await build(reservedThenActivated(), {}, { maxAttempts: 3 });
      processor.createCustomer.mockRejectedValueOnce(unavailable()).mockRejectedValueOnce(unavailable()).mockResolvedValueOnce(created);

      await expect(sut.execute(command())).resolves.toMatchObject({ connectorCustomerId: 'cus_NEW', created: true });
      const keys = processor.createCustomer.mock.calls.map(([call]) => call.idempotencyKey);
      expect(keys).toHaveLength(3);
      expect(new Set(keys).size).toBe(1);
    });

    it('stops after the configured attempts and keeps the reservation', async () => {
      await build(reservedThenActivated(), {}, { maxAttempts: 2 });
      processor.createCustomer.mockRejectedValue(unavailable());

      await expect(sut.execute(command())).rejects.toMatchObject({ reason: ErrorReason.ConnectorUnavailable });
      expect(processor.createCustomer).toHaveBeenCalledTimes(2);
      expect(repository.release).toHaveBeenCalled();
    });

    it('never retries an unknown outcome when the connector cannot replay safely', async () => {
      await build(reservedThenActivated(), {}, { maxAttempts: 3, replaysSafely: false });
      processor.createCustomer.mockRejectedValue(unavailable());

      await expect(sut.execute(command())).rejects.toMatchObject({ reason: ErrorReason.ConnectorUnavailable });
      expect(processor.createCustomer).toHaveBeenCalledTimes(1);
    });

    it('retries a request the processor provably did not receive, even without replay safety', async () => {
      await build(reservedThenActivated(), {}, { maxAttempts: 3, replaysSafely: false });
      processor.createCustomer.mockRejectedValueOnce(unavailable({ outcomeUnknown: false })).mockResolvedValueOnce(created);

      await expect(sut.execute(command())).resolves.toMatchObject({ created: true });
      expect(processor.createCustomer).toHaveBeenCalledTimes(2);
    });

    it.each([
      ['an open circuit', unavailable({ outcomeUnknown: false, connector: { connector: 'stripe', code: 'circuit_open', message: 'paused' } })],
      ['a Retry-After beyond 2 s', new DomainError(ErrorReason.ConnectorRateLimited, 'slow down', { retryAfterSeconds: 30 })],
      ['a definite refusal', new DomainError(ErrorReason.ConnectorInvalidRequest, 'bad email', { outcomeUnknown: false })],
    ])('does not retry %s', async (_, error) => {
      await build(reservedThenActivated(), {}, { maxAttempts: 3 });
      processor.createCustomer.mockRejectedValue(error);

      await expect(sut.execute(command())).rejects.toBe(error);
      expect(processor.createCustomer).toHaveBeenCalledTimes(1);
    });
  });

  describe('reconciliation of an unanswered attempt', () => {
    const HOUR = 3_600_000;
    const resumable = (createdAgoMs: number) => ({
      findByKey: jest.fn().mockResolvedValue(mapping({ leaseExpiresAt: null, createdAt: new Date(Date.now() - createdAgoMs) })),
      takeOver: jest.fn().mockResolvedValue(true),
      activate: jest.fn().mockResolvedValue(true),
      release: jest.fn().mockResolvedValue(undefined),
    });
    const found = { connectorCustomerId: 'cus_FOUND', httpStatus: 200, responseHeaders: {} };

    it.each([
      ['the connector cannot replay safely', { replaysSafely: false }, 60_000],
      ['the replay window has passed', { replaysSafely: true, replayWindowHours: 24 }, 25 * HOUR],
    ])('looks the customer up before creating when %s, and uses what it finds', async (_, options, age) => {
      await build(resumable(age), { findCreatedCustomer: jest.fn().mockResolvedValue(found) }, options);

      await expect(sut.execute(command())).resolves.toMatchObject({ connectorCustomerId: 'cus_FOUND', created: true });
      expect(processor.createCustomer).not.toHaveBeenCalled();
      expect(repository.activate).toHaveBeenCalledWith(expect.any(String), expect.any(String), 'cus_FOUND');
    });

    it('creates when a conclusive lookup finds nothing', async () => {
      await build(resumable(60_000), { findCreatedCustomer: jest.fn().mockResolvedValue(undefined) }, { replaysSafely: false, capabilities: { lookupIsConclusive: true } });
      processor.createCustomer.mockResolvedValue(created);

      await expect(sut.execute(command())).resolves.toMatchObject({ connectorCustomerId: 'cus_NEW' });
    });

    it('trusts the replay inside the window: no lookup', async () => {
      await build(resumable(HOUR), { findCreatedCustomer: jest.fn() }, { replaysSafely: true, replayWindowHours: 24 });
      processor.createCustomer.mockResolvedValue(created);

      await expect(sut.execute(command())).resolves.toMatchObject({ connectorCustomerId: 'cus_NEW' });
      expect(processor.findCreatedCustomer).not.toHaveBeenCalled();
    });

    it('refuses to create again, keeping the mapping pending for an operator, when the connector can neither replay nor look up', async () => {
      await build(resumable(60_000), {}, { replaysSafely: false });

      await expect(sut.execute(command())).rejects.toMatchObject({ reason: ErrorReason.CreateOutcomeUnknown });
      expect(processor.createCustomer).not.toHaveBeenCalled();
      expect(repository.release).toHaveBeenCalled();
    });

    it('keeps a resumed reservation even when the new attempt is refused outright (the first attempt is still unknown)', async () => {
      await build({ ...resumable(60_000), remove: jest.fn() }, {}, { replaysSafely: true });
      processor.createCustomer.mockRejectedValue(new DomainError(ErrorReason.ConnectorAuthenticationFailed, 'key revoked', { outcomeUnknown: false }));

      await expect(sut.execute(command())).rejects.toMatchObject({ reason: ErrorReason.ConnectorAuthenticationFailed });
      expect(repository.release).toHaveBeenCalled();
      expect(repository.remove).not.toHaveBeenCalled();
    });

    it('fails rather than creating blind when the lookup fails', async () => {
      const lookupFailure = new DomainError(ErrorReason.ConnectorUnavailable, 'search down', { outcomeUnknown: true });
      await build(resumable(60_000), { findCreatedCustomer: jest.fn().mockRejectedValue(lookupFailure) }, { replaysSafely: false });

      await expect(sut.execute(command())).rejects.toBe(lookupFailure);
      expect(processor.createCustomer).not.toHaveBeenCalled();
      expect(repository.release).toHaveBeenCalled();
    });

    it('hands the mapping to an operator when a lookup that proves nothing finds nothing (Stripe’s search): no blind create', async () => {
      await build(resumable(25 * HOUR), { findCreatedCustomer: jest.fn().mockResolvedValue(undefined) }, { replaysSafely: true, replayWindowHours: 24 });

      await expect(sut.execute(command())).rejects.toMatchObject({ reason: ErrorReason.CreateOutcomeUnknown, details: { outcomeUnknown: true } });
      expect(processor.createCustomer).not.toHaveBeenCalled();
      expect(repository.release).toHaveBeenCalled();
    });

    describe('where the replay rests on the details (a duplicate check, not a key)', () => {
      const sameDetails = { replayRequiresSameDetails: true };
      const resumedWith = (fingerprint: string) => ({ ...resumable(60_000), findByKey: jest.fn().mockResolvedValue(mapping({ leaseExpiresAt: null, profileFingerprint: fingerprint })) });
      const fingerprintOf = (customer: CustomerProfile) => new KeyedDigests({ derivedKey: () => Buffer.alloc(32) } as unknown as MappingScopeService).profileFingerprint(customer);

      it('lets a retry carrying the first attempt’s details replay', async () => {
        await build(resumedWith(fingerprintOf(customer)), {}, { capabilities: sameDetails });
        processor.createCustomer.mockResolvedValue(created);

        await expect(sut.execute(command())).resolves.toMatchObject({ connectorCustomerId: 'cus_NEW' });
        expect(processor.createCustomer.mock.calls[0][0].idempotencyKey).toBe('existing-idempotency-key');
      });

      it('refuses a retry with other details when nothing can look the first attempt up, keeping the reservation', async () => {
        await build(resumedWith(fingerprintOf(customer)), {}, { capabilities: sameDetails });

        await expect(sut.execute(command({ email: 'other@example.com' }))).rejects.toMatchObject({ reason: ErrorReason.CreateRetryDiffers, details: { outcomeUnknown: true } });
        expect(processor.createCustomer).not.toHaveBeenCalled();
        expect(repository.release).toHaveBeenCalled();
      });

      it('does not trust a reservation from before fingerprints were kept: the lookup first', async () => {
        await build({ ...resumable(60_000), findByKey: jest.fn().mockResolvedValue(mapping({ leaseExpiresAt: null, profileFingerprint: null })) }, { findCreatedCustomer: jest.fn().mockResolvedValue(found) }, { capabilities: { ...sameDetails, lookupIsConclusive: true } });

        await expect(sut.execute(command())).resolves.toMatchObject({ connectorCustomerId: 'cus_FOUND' });
        expect(processor.createCustomer).not.toHaveBeenCalled();
      });

      it('reconciles a retry with other details by the lookup first, and keeps what it finds, saying the details differ', async () => {
        await build(resumedWith(fingerprintOf(customer)), { findCreatedCustomer: jest.fn().mockResolvedValue(found) }, { capabilities: { ...sameDetails, lookupIsConclusive: true } });

        await expect(sut.execute(command({ email: 'other@example.com' }))).resolves.toMatchObject({ connectorCustomerId: 'cus_FOUND', profileDiffers: true });
        expect(processor.createCustomer).not.toHaveBeenCalled();
      });
    });
  });
});
