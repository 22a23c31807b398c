import { Injectable } from '@nestjs/common';
import { SqlCustomerOperationStore } from '../operations/sql-customer-operation.store';
import { SqliteConnection } from './sqlite.connection';

@Injectable()
export class SqliteCustomerOperationStore extends SqlCustomerOperationStore {
  constructor(connection: SqliteConnection) {
    super(connection.driver);
  }
}
