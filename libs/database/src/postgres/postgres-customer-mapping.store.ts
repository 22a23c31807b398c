import { Injectable } from '@nestjs/common';
import { SqlCustomerMappingStore } from '../mappings/sql-customer-mapping.store';
import { PostgresConnection } from './postgres.connection';

@Injectable()
export class PostgresCustomerMappingStore extends SqlCustomerMappingStore {
  constructor(connection: PostgresConnection) {
    super(connection.driver, connection.client.customerMapping);
  }
}
