import type { AppConfig } from '@app/common/config/app-config';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import { createAppLogger } from '@app/common/logging/logger';
import type { Connector, ConnectorCustomer, CreateCustomerCall, Credentials, FlowResult, ExistingCustomerCall, UpdateCustomerCall, DeleteCustomerCall, ProcessorCall } from '@app/connectors/connector';
import { CallPolicy } from '@app/connectors/execution/call-policy';
import { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import type { ConnectorHttpClient } from '@app/connectors/http/connector-http-client';

const executors = new WeakMap<ConnectorHttpClient, ConnectorExecutor>();

/** The executor services use, over `http` (a real client or a scripted double), without retries. */
export function executorOver(http: ConnectorHttpClient): ConnectorExecutor {
  let executor = executors.get(http);
  if (!executor) {
    const policy = new CallPolicy({ connectorMaxAttempts: 1, connectorTimeoutMs: 3_000 } as AppConfig, createAppLogger({ level: 'silent' }));
    executor = new ConnectorExecutor(http, policy);
    executors.set(http, executor);
  }
  return executor;
}

/** One connector as its specs drive it: each flow through the shared executor, as the services run it. */
export interface DrivenConnector {
  readonly connector: Connector;
  readonly descriptor: Connector['descriptor'];
  accountIdentity(credentials: Credentials): string;
  testModeOf(credentials: Credentials): boolean | undefined;
  validateCustomer(customer: CustomerProfile): FieldViolation[];
  /** The processor's limits on a change, as the update flow declares them (empty when it fits). */
  validateChange(customer: CustomerProfile): FieldViolation[];
  createCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer>;
  findCreatedCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer | undefined>;
  getCustomer(call: ExistingCustomerCall, http: ConnectorHttpClient): Promise<FlowResult<'get'>>;
  updateCustomer(call: UpdateCustomerCall, http: ConnectorHttpClient): Promise<FlowResult<'update'>>;
  deleteCustomer(call: DeleteCustomerCall, http: ConnectorHttpClient): Promise<FlowResult<'delete'>>;
  identifyAccount(call: ProcessorCall, http: ConnectorHttpClient): Promise<FlowResult<'identifyAccount'>>;
}

/** Validation sends nothing: one executor over no transport serves every driven connector. */
const NO_HTTP = {} as ConnectorHttpClient;

export function driving(connector: Connector): DrivenConnector {
  return {
    connector,
    descriptor: connector.descriptor,
    accountIdentity: (credentials) => connector.descriptor.accountIdentity(credentials),
    testModeOf: (credentials) => connector.descriptor.testModeOf?.(credentials),
    validateCustomer: (customer) => executorOver(NO_HTTP).validate(connector, 'create', customer),
    validateChange: (customer) => executorOver(NO_HTTP).validate(connector, 'update', customer),
    createCustomer: (call, http) => executorOver(http).run(connector, 'create', call),
    findCreatedCustomer: (call, http) => executorOver(http).run(connector, 'findCreated', call),
    getCustomer: (call, http) => executorOver(http).run(connector, 'get', call),
    updateCustomer: (call, http) => executorOver(http).run(connector, 'update', call),
    deleteCustomer: (call, http) => executorOver(http).run(connector, 'delete', call),
    identifyAccount: (call, http) => executorOver(http).run(connector, 'identifyAccount', call),
  };
}
