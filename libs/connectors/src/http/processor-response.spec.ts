import { reasonForProcessorStatus } from '@app/common/errors/error-table';
import { ErrorReason } from '@app/common/errors/error-reason';
import { StripeConnector } from '../stripe/stripe.connector';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError, retryAfterSeconds } from './processor-response';

const { descriptor } = new StripeConnector();

describe(retryAfterSeconds.name, () => {
  const now = Date.now();

  it.each<[string, Record<string, string>, number | undefined]>([
    ['absent', {}, undefined],
    ['delta-seconds', { 'retry-after': '7' }, 7],
    ['delta-seconds with spaces', { 'retry-after': ' 12 ' }, 12],
    ['zero', { 'retry-after': '0' }, 0],
    ['an HTTP date in the past', { 'retry-after': new Date(now - 60_000).toUTCString() }, 0],
    ['garbage', { 'retry-after': 'soon' }, undefined],
    ['a negative number as no delay', { 'retry-after': '-5' }, 0],
  ])('reads %s', (_case, headers, expected) => {
    expect(retryAfterSeconds(headers)).toBe(expected);
  });

  it('reads an HTTP date in the future as the seconds until then', () => {
    const seconds = retryAfterSeconds({ 'retry-after': new Date(Date.now() + 30_000).toUTCString() });

    expect(seconds).toBeGreaterThanOrEqual(28);
    expect(seconds).toBeLessThanOrEqual(31);
  });
});

describe(processorError.name, () => {
  it.each<[number, boolean]>([
    [400, false],
    [401, false],
    [402, false],
    [404, false],
    [409, true],
    [422, false],
    [429, false],
    [500, true],
    [501, false],
    [502, true],
    [503, true],
    [504, true],
  ])('HTTP %i: outcome unknown %p', (status, outcomeUnknown) => {
    const error = processorError(descriptor, { status, headers: {}, body: '' }, { code: 'c', message: 'm' });

    expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
  });

  it('takes an explicit reason over the status table', () => {
    const error = processorError(descriptor, { status: 400, headers: {}, body: '' }, { code: 'c', message: 'm' }, ErrorReason.ConnectorDeclined);

    expect(error.reason).toBe(ErrorReason.ConnectorDeclined);
  });
});

describe(parseJsonBody.name, () => {
  it('parses JSON', () => {
    expect(parseJsonBody(descriptor, { status: 200, headers: {}, body: '{"id":"cus_1"}' })).toEqual({ id: 'cus_1' });
  });

  it.each([200, 201])('refuses a non-JSON HTTP %i body as CONNECTOR_INVALID_RESPONSE, outcome unknown', (status) => {
    expect(() => parseJsonBody(descriptor, { status, headers: {}, body: '<html>' })).toThrow(
      expect.objectContaining({ reason: ErrorReason.ConnectorInvalidResponse, details: expect.objectContaining({ outcomeUnknown: true, connector: expect.objectContaining({ code: 'invalid_response' }) }) }),
    );
  });

  it.each<[number, boolean]>([
    [400, false],
    [503, true],
  ])('maps a non-JSON HTTP %i body by its status, outcome unknown %p', (status, outcomeUnknown) => {
    expect(() => parseJsonBody(descriptor, { status, headers: {}, body: '<html>' })).toThrow(
      expect.objectContaining({ reason: reasonForProcessorStatus(status), details: expect.objectContaining({ outcomeUnknown, connector: expect.objectContaining({ code: `http_${status}` }) }) }),
    );
  });
});

describe(invalidResponse.name, () => {
  it('names the processor, the status and what was wrong', () => {
    expect(() => invalidResponse(descriptor, { status: 200, headers: {}, body: '{}' }, 'no customer id')).toThrow('Stripe answered HTTP 200 with no customer id');
  });
});

describe(isSuccessStatus.name, () => {
  it.each([
    [199, false],
    [200, true],
    [204, true],
    [299, true],
    [302, false],
    [400, false],
  ])('%i → %p', (status, expected) => {
    expect(isSuccessStatus(status)).toBe(expected);
  });
});
