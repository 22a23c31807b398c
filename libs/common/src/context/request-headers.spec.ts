import { Metadata } from '@grpc/grpc-js';
import type { Request } from 'express';
import { DomainError } from '../errors/domain-error';
import { ErrorReason } from '../errors/error-reason';
import { grpcHeaderReader, httpHeaderReader, requestIdFrom, tenantScopeFrom, type HeaderReader } from './request-headers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const headersOf = (headers: Record<string, string>): HeaderReader => (name) => headers[name];

describe(requestIdFrom.name, () => {
  it.each(['req-123', 'A'.repeat(128), '0190f0a4-5b6c-7d8e-9f01-23456789abcd', 'trace=abc;span=1'])('keeps the caller’s usable id %s', (id) => {
    expect(requestIdFrom(headersOf({ 'x-request-id': id }))).toBe(id);
  });

  it.each([
    ['absent', {}],
    ['empty', { 'x-request-id': '' }],
    ['with a space', { 'x-request-id': 'req 123' }],
    ['over 128 characters', { 'x-request-id': 'A'.repeat(129) }],
    ['non-ASCII', { 'x-request-id': 'req-é' }],
    ['with CR/LF (log injection)', { 'x-request-id': 'req\r\nlevel: fatal' }],
  ])('generates a UUID when the caller’s id is %s', (_case, headers) => {
    expect(requestIdFrom(headersOf(headers))).toMatch(UUID);
  });
});

describe(tenantScopeFrom.name, () => {
  it('defaults to Prism’s tenant and merchant', () => {
    expect(tenantScopeFrom(headersOf({}))).toEqual({ tenantId: 'public', merchantId: 'DefaultMerchantId' });
  });

  it('treats empty headers as absent', () => {
    expect(tenantScopeFrom(headersOf({ 'x-tenant-id': '', 'x-merchant-id': '' }))).toEqual({ tenantId: 'public', merchantId: 'DefaultMerchantId' });
  });

  it('reads both headers', () => {
    expect(tenantScopeFrom(headersOf({ 'x-tenant-id': 'eu', 'x-merchant-id': 'merchant_1' }))).toEqual({ tenantId: 'eu', merchantId: 'merchant_1' });
  });

  it.each([
    ['x-merchant-id', { 'x-merchant-id': 'merchant 1' }],
    ['x-merchant-id', { 'x-merchant-id': 'm'.repeat(129) }],
    ['x-tenant-id', { 'x-tenant-id': 'ténant' }],
  ])('refuses an unusable %s as INVALID_DATA_FORMAT naming it', (header, headers) => {
    let thrown: unknown;
    try {
      tenantScopeFrom(headersOf(headers));
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ reason: ErrorReason.InvalidDataFormat, message: `Invalid data format: ${header}` });
  });
});

describe(grpcHeaderReader.name, () => {
  it('reads the first value of a metadata entry, and undefined when absent', () => {
    const metadata = new Metadata();
    metadata.add('x-connector', 'stripe');
    metadata.add('x-connector', 'other');
    const sut = grpcHeaderReader(metadata);

    expect(sut('x-connector')).toBe('stripe');
    expect(sut('x-api-key')).toBeUndefined();
  });

  it('decodes a binary entry as UTF-8', () => {
    const metadata = new Metadata();
    metadata.set('x-blob-bin', Buffer.from('héllo', 'utf8'));

    expect(grpcHeaderReader(metadata)('x-blob-bin')).toBe('héllo');
  });

  it('reads nothing from missing metadata', () => {
    expect(grpcHeaderReader(undefined)('x-connector')).toBeUndefined();
  });
});

describe(httpHeaderReader.name, () => {
  it('reads the first value of a repeated header', () => {
    const sut = httpHeaderReader({ headers: { 'x-connector': 'stripe', 'x-multi': ['a', 'b'] } } as unknown as Request);

    expect(sut('x-connector')).toBe('stripe');
    expect(sut('x-multi')).toBe('a');
    expect(sut('x-absent')).toBeUndefined();
  });
});
