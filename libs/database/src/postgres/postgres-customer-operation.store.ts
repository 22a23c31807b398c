import { Injectable } from '@nestjs/common';
import { SqlCustomerOperationStore } from '../operations/sql-customer-operation.store';
import { PostgresConnection } from './postgres.connection';

@Injectable()
export class PostgresCustomerOperationStore extends SqlCustomerOperationStore {
  constructor(connection: PostgresConnection) {
    super(connection.driver);
  }
}
