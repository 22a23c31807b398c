export * from './connector';
export * from './connector-registry';
export * from './connector-selection';
export * from './base-url-policy';
export * from './connectors.module';
export * from './http/connector-http-client';
export * from './accounts/connector-accounts';
export * from './accounts/connector-accounts.service';
