import { Injectable } from '@nestjs/common';
import { SqlCustomerMappingStore } from '../mappings/sql-customer-mapping.store';
import { SqliteConnection } from './sqlite.connection';

@Injectable()
export class SqliteCustomerMappingStore extends SqlCustomerMappingStore {
  constructor(connection: SqliteConnection) {
    super(connection.driver, connection.client.customerMapping);
  }
}
