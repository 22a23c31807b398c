import { Module } from '@nestjs/common';
import { ConnectorAccountsService } from './accounts/connector-accounts.service';
import { BaseUrlPolicy } from './base-url-policy';
import type { Connector } from './connector';
import { CONNECTOR_TYPES, CONNECTORS, ConnectorRegistry } from './connector-registry';
import { AccessTokenCache } from './execution/access-token-cache';
import { CallPolicy } from './execution/call-policy';
import { ConnectorExecutor } from './execution/connector-executor';
import { ConnectorHttpClient } from './http/connector-http-client';

/**
 * The connectors as Nest providers (their collaborators injected) under one multi-provider
 * token, the registry over them, and the one executor every processor call goes through.
 */
@Module({
  providers: [
    ...CONNECTOR_TYPES,
    { provide: CONNECTORS, inject: [...CONNECTOR_TYPES], useFactory: (...connectors: Connector[]) => connectors },
    ConnectorRegistry,
    AccessTokenCache,
    ConnectorHttpClient,
    CallPolicy,
    ConnectorExecutor,
    BaseUrlPolicy,
    ConnectorAccountsService,
  ],
  exports: [ConnectorRegistry, ConnectorExecutor, CallPolicy, BaseUrlPolicy, ConnectorAccountsService],
})
export class ConnectorsModule {}
