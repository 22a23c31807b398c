import { DomainError, isDomainError } from './domain-error';
import { ErrorReason } from './error-reason';

describe(DomainError.name, () => {
  it.each<[string, DomainError, ErrorReason, string]>([
    ['missingRequiredField', DomainError.missingRequiredField('x-connector'), ErrorReason.MissingRequiredField, 'Missing required field: x-connector'],
    ['invalidDataFormat', DomainError.invalidDataFormat('X-Connector-Config', 'is not valid JSON'), ErrorReason.InvalidDataFormat, 'Invalid data format: X-Connector-Config'],
    [
      'invalidConnectorConfiguration',
      DomainError.invalidConnectorConfiguration('x-auth', [{ field: 'x-auth', description: 'Stripe takes x-auth: header-key' }]),
      ErrorReason.InvalidConnectorConfiguration,
      'Invalid connector configuration: x-auth',
    ],
    ['invalidField', DomainError.invalidField('email', 'must be a valid email address'), ErrorReason.ValidationFailed, 'Invalid request: email: must be a valid email address'],
  ])('%s carries Prism’s message and a field violation', (_factory, error, reason, message) => {
    expect(error).toMatchObject({ name: 'DomainError', reason, message });
    expect(error.details.fieldViolations).toHaveLength(1);
  });

  it('summarises every violation in the message of a validation error', () => {
    const error = DomainError.validation([
      { field: 'merchant_customer_id', description: 'is required' },
      { field: 'metadata.a[', description: 'cannot contain "["' },
    ]);

    expect(error.message).toBe('Invalid request: merchant_customer_id: is required; metadata.a[: cannot contain "["');
  });

  it('is recognised by isDomainError, unlike other errors', () => {
    expect(isDomainError(DomainError.missingRequiredField('x'))).toBe(true);
    expect(isDomainError(new Error('x'))).toBe(false);
  });
});
