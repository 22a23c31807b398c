import pino from 'pino';
import type { AppConfig } from '@app/common/config/app-config';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { CustomerMapping, MappingKey } from '@app/database/mappings/customer-mapping';
import type { CustomerMappingStore } from '@app/database/mappings/customer-mapping.store';
import { strictDouble } from '@app/testing/strict-double';
import { ReservationProtocol } from './reservation-protocol';

const key: MappingKey = { tenantId: 't', merchantId: 'm', connector: 'stripe', connectorAccount: 'account-scope', merchantCustomerId: 'c-1' };
const row = (overrides: Partial<CustomerMapping> = {}): CustomerMapping => ({
  ...key,
  id: '01900000-0000-7000-8000-000000000001',
  connectorCustomerId: null,
  status: 'pending',
  idempotencyKey: 'first-key',
  testMode: true,
  leaseExpiresAt: null,
  attempts: 1,
  profileFingerprint: 'fp-1',
  erasedAt: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  ...overrides,
});

describe(ReservationProtocol.name, () => {
  const build = (methods: Partial<Record<keyof CustomerMappingStore, unknown>>) => {
    const store = strictDouble<CustomerMappingStore>(methods);
    return { store, sut: new ReservationProtocol({ connectorTimeoutMs: 1_000 } as AppConfig, pino({ level: 'silent' }), store) };
  };
  const options = (overrides = {}) => ({ testMode: true, beforeReserving: jest.fn(), ...overrides });

  it('returns an active mapping as it is, without checking limits or reserving', async () => {
    const active = row({ status: 'active', connectorCustomerId: 'cus_1' });
    const { sut } = build({ findByKey: jest.fn().mockResolvedValue(active) });
    const claimOptions = options();

    await expect(sut.claim(key, claimOptions)).resolves.toEqual({ kind: 'active', mapping: active });
    expect(claimOptions.beforeReserving).not.toHaveBeenCalled();
  });

  it('reserves a new mapping with a fresh key, a lease and the details’ fingerprint, after the limits passed', async () => {
    const { sut, store } = build({ findByKey: jest.fn().mockResolvedValue(null), reserve: jest.fn().mockResolvedValue(true) });

    const claim = await sut.claim(key, options({ profileFingerprint: 'fp-2' }));

    expect(claim).toMatchObject({ kind: 'held', idempotencyKey: expect.any(String), lease: { token: expect.any(String) } });
    expect(store.reserve).toHaveBeenCalledWith(key, expect.objectContaining({ profileFingerprint: 'fp-2', testMode: true }));
  });

  it('refuses before reserving when the limits refuse', async () => {
    const { sut } = build({ findByKey: jest.fn().mockResolvedValue(null) });

    await expect(sut.claim(key, options({ beforeReserving: () => { throw DomainError.invalidField('email', 'too long'); } }))).rejects.toMatchObject({ reason: ErrorReason.ValidationFailed });
  });

  it('takes over a pending mapping whose lease lapsed, resuming it with its own key', async () => {
    const pending = row({ leaseExpiresAt: new Date(Date.now() - 1) });
    const { sut } = build({ findByKey: jest.fn().mockResolvedValue(pending), takeOver: jest.fn().mockResolvedValue(true) });

    await expect(sut.claim(key, options())).resolves.toMatchObject({ kind: 'held', idempotencyKey: 'first-key', resumed: pending });
  });

  it('moves a mapping from the account’s former scope before reserving anew', async () => {
    const active = row({ status: 'active', connectorCustomerId: 'cus_1' });
    const { sut, store } = build({ findByKey: jest.fn().mockResolvedValue(active), adopt: jest.fn().mockResolvedValue(true) });

    await expect(sut.claim(key, options({ formerAccount: 'secret-scope' }))).resolves.toEqual({ kind: 'active', mapping: active });
    expect(store.adopt).toHaveBeenCalledWith(key, 'secret-scope');
    expect(store.adopt.mock.invocationCallOrder[0]).toBeLessThan(store.findByKey.mock.invocationCallOrder[0]);
  });

  it('answers CREATE_IN_PROGRESS when another holder keeps the mapping past the bound', async () => {
    jest.useFakeTimers();
    try {
      const { sut } = build({ findByKey: jest.fn().mockImplementation(async () => row({ leaseExpiresAt: new Date(Date.now() + 60_000) })) });
      const claim = sut.claim(key, options());
      const assertion = expect(claim).rejects.toMatchObject({ reason: ErrorReason.CreateInProgress });
      await jest.advanceTimersByTimeAsync(10_000);
      await assertion;
    } finally {
      jest.useRealTimers();
    }
  });

  it('completes with the processor’s id, or returns what the holder that took over recorded', async () => {
    const held = { mappingId: 'id-1', idempotencyKey: 'k', lease: { token: 'lease', expiresAt: new Date() } };
    const mine = build({ activate: jest.fn().mockResolvedValue(true) });
    await expect(mine.sut.complete(key, held, 'cus_1')).resolves.toEqual({ activated: true });

    const theirs = row({ status: 'active', connectorCustomerId: 'cus_1' });
    const lost = build({ activate: jest.fn().mockResolvedValue(false), findByKey: jest.fn().mockResolvedValue(theirs) });
    await expect(lost.sut.complete(key, held, 'cus_1')).resolves.toEqual({ activated: false, mapping: theirs });
  });

  it.each([
    ['a definite refusal frees the reservation', new DomainError(ErrorReason.ConnectorInvalidRequest, 'no', { outcomeUnknown: false }), undefined, 'remove'],
    ['an unknown outcome keeps it', new DomainError(ErrorReason.ConnectorTimeout, 'late', { outcomeUnknown: true }), undefined, 'release'],
    ['a resumed reservation is always kept', new DomainError(ErrorReason.ConnectorInvalidRequest, 'no', { outcomeUnknown: false }), row(), 'release'],
  ] as const)('settles a failure: %s', async (_, error, resumed, settle) => {
    const { sut, store } = build({ [settle]: jest.fn().mockResolvedValue(undefined) });
    await sut.settleFailure({ mappingId: 'id-1', idempotencyKey: 'k', lease: { token: 'lease', expiresAt: new Date() }, resumed }, error);

    expect(store[settle]).toHaveBeenCalledWith('id-1', 'lease');
  });

  describe('with a store that reserves or finds in one round trip', () => {
    it('reserves at once, after the limits passed, without a lookup first', async () => {
      const { sut, store } = build({ reserveOrFind: jest.fn().mockResolvedValue({ reserved: true }) });
      const claimOptions = options({ profileFingerprint: 'fp-2' });

      const claim = await sut.claim(key, claimOptions);

      expect(claim).toMatchObject({ kind: 'held', idempotencyKey: expect.any(String), lease: { token: expect.any(String) } });
      expect(store.reserveOrFind).toHaveBeenCalledWith(key, expect.objectContaining({ profileFingerprint: 'fp-2', idempotencyKey: (claim as { idempotencyKey: string }).idempotencyKey }));
      expect(claimOptions.beforeReserving).toHaveBeenCalledTimes(1);
    });

    it('returns the active mapping the statement found holding the key', async () => {
      const active = row({ status: 'active', connectorCustomerId: 'cus_1' });
      const { sut } = build({ reserveOrFind: jest.fn().mockResolvedValue({ reserved: false, existing: active }) });

      await expect(sut.claim(key, options())).resolves.toEqual({ kind: 'active', mapping: active });
    });

    it('returns an active mapping even when the limits refuse the repeat, and refuses when there is none', async () => {
      const refuse = () => {
        throw DomainError.invalidField('email', 'too long');
      };
      const active = row({ status: 'active', connectorCustomerId: 'cus_1' });
      const stored = build({ reserveOrFind: jest.fn(), findByKey: jest.fn().mockResolvedValue(active) });
      await expect(stored.sut.claim(key, options({ beforeReserving: refuse }))).resolves.toEqual({ kind: 'active', mapping: active });
      expect(stored.store.reserveOrFind).not.toHaveBeenCalled();

      const none = build({ reserveOrFind: jest.fn(), findByKey: jest.fn().mockResolvedValue(null) });
      await expect(none.sut.claim(key, options({ beforeReserving: refuse }))).rejects.toMatchObject({ reason: ErrorReason.ValidationFailed });
      expect(none.store.reserveOrFind).not.toHaveBeenCalled();
    });

    it('looks again when the key was taken by a row the statement could not see yet', async () => {
      const active = row({ status: 'active', connectorCustomerId: 'cus_1' });
      const { sut } = build({ reserveOrFind: jest.fn().mockResolvedValue({ reserved: false, existing: null }), findByKey: jest.fn().mockResolvedValue(active) });

      await expect(sut.claim(key, options())).resolves.toEqual({ kind: 'active', mapping: active });
    });

    it('moves a mapping from the account’s former scope first, then reserves or finds in one call', async () => {
      const active = row({ status: 'active', connectorCustomerId: 'cus_1' });
      const adopt = jest.fn().mockResolvedValue(true);
      const reserveOrFind = jest.fn().mockResolvedValue({ reserved: false, existing: active });
      const { sut, store } = build({ reserveOrFind, findByKey: jest.fn(), adopt });

      await expect(sut.claim(key, options({ formerAccount: 'secret-scope' }))).resolves.toEqual({ kind: 'active', mapping: active });
      expect(adopt.mock.invocationCallOrder[0]).toBeLessThan(reserveOrFind.mock.invocationCallOrder[0]);
      expect(store.findByKey).not.toHaveBeenCalled();
    });

    it('reserves in one call when the former scope holds nothing', async () => {
      const { sut, store } = build({ reserveOrFind: jest.fn().mockResolvedValue({ reserved: true }), findByKey: jest.fn(), adopt: jest.fn().mockResolvedValue(false) });

      await expect(sut.claim(key, options({ formerAccount: 'secret-scope' }))).resolves.toMatchObject({ kind: 'held' });
      expect(store.adopt).toHaveBeenCalledTimes(1);
      expect(store.reserveOrFind).toHaveBeenCalledTimes(1);
      expect(store.findByKey).not.toHaveBeenCalled();
    });
  });
});
