import path from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { Root, type Type } from 'protobufjs';
import { ADDRESS_FIELD_PATHS, CUSTOMER_FIELD_PATHS } from '@app/common/domain/customer-profile';
import type { CreateCustomerResponse, CustomerAnswer, CustomerMessage, DeleteCustomerAnswer } from '../customer-request.mapper';
import { AddressDto, CreateCustomerRequestDto, DeleteCustomerRequestDto, GetCustomerRequestDto, PaymentAddressDto, UpdateCustomerRequestDto } from './create-customer-request.dto';

/**
 * The proto is the one source of the request shape: the DTO that validates both transports, the
 * response the mapper builds and the field-path table that names fields in errors are held to it
 * here, so a field added on one side and not the other fails `npm test`.
 */
const root = new Root();
root.resolvePath = (_origin, target) => path.join(__dirname, '../../../../proto', target);
root.loadSync('types/payment.proto', { keepCase: true });
const message = (name: string) => root.lookupType(`types.${name}`);
const fieldsOf = (type: Type) => Object.keys(type.fields).sort();
const dtoFieldsOf = (dto: new () => object) => [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName))].sort();

describe('the request shape, proto against code', () => {
  it.each([
    ['CustomerServiceCreateRequest', CreateCustomerRequestDto],
    ['PaymentAddress', PaymentAddressDto],
    ['Address', AddressDto],
    ['CustomerServiceGetRequest', GetCustomerRequestDto],
    ['CustomerServiceUpdateRequest', UpdateCustomerRequestDto],
    ['CustomerServiceDeleteRequest', DeleteCustomerRequestDto],
  ] as const)('validates exactly the fields of %s', (name, dto) => {
    expect(dtoFieldsOf(dto)).toEqual(fieldsOf(message(name)));
  });

  it('answers with the fields of CustomerServiceCreateResponse, leaving out only `error` (errors are gRPC statuses)', () => {
    const answered: Record<keyof CreateCustomerResponse, true> = { merchant_customer_id: true, connector_customer_id: true, status_code: true, response_headers: true };
    expect([...Object.keys(answered), 'error'].sort()).toEqual(fieldsOf(message('CustomerServiceCreateResponse')));
  });

  it('answers Get, Update and Delete with their messages’ fields, leaving out only `error`', () => {
    const customer: Record<keyof CustomerMessage, true> = { name: true, email: true, id: true, connector_customer_id: true, phone_number: true, phone_country_code: true };
    const answer: Record<keyof CustomerAnswer, true> = { customer: true, status_code: true, response_headers: true, merchant_customer_id: true };
    const deleted: Record<keyof DeleteCustomerAnswer, true> = { status_code: true, response_headers: true, merchant_customer_id: true };
    expect(Object.keys(customer).sort()).toEqual(fieldsOf(message('Customer')));
    for (const name of ['CustomerServiceGetResponse', 'CustomerServiceUpdateResponse']) expect([...Object.keys(answer), 'error'].sort()).toEqual(fieldsOf(message(name)));
    expect([...Object.keys(deleted), 'error'].sort()).toEqual(fieldsOf(message('CustomerServiceDeleteResponse')));
  });

  it('names every customer field in errors by a path the request has', () => {
    const request = message('CustomerServiceCreateRequest');
    const address = message('Address');
    for (const wirePath of Object.values(CUSTOMER_FIELD_PATHS)) {
      const [top, nested] = wirePath.split('.');
      expect(request.fields[top]).toBeDefined();
      if (nested) expect(message('PaymentAddress').fields[nested]).toBeDefined();
    }
    const paths = Object.values(CUSTOMER_FIELD_PATHS);
    expect([...new Set(paths.map((wirePath) => wirePath.split('.')[0]))].sort()).toEqual(fieldsOf(request));
    expect(paths.flatMap((wirePath) => wirePath.split('.').slice(1)).sort()).toEqual(fieldsOf(message('PaymentAddress')));
    expect(Object.values(ADDRESS_FIELD_PATHS).sort()).toEqual(fieldsOf(address));
  });
});
