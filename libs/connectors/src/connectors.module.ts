import { Module } from '@nestjs/common';
import { ConnectorAccountsService } from './accounts/connector-accounts.service';
import { BaseUrlPolicy } from './base-url-policy';
import { CONNECTORS, ConnectorRegistry, registeredConnectors } from './connector-registry';
import { ConnectorHttpClient } from './http/connector-http-client';

@Module({
  providers: [
    { provide: CONNECTORS, useFactory: () => new ConnectorRegistry(registeredConnectors()) },
    ConnectorHttpClient,
    BaseUrlPolicy,
    ConnectorAccountsService,
  ],
  exports: [CONNECTORS, ConnectorHttpClient, BaseUrlPolicy, ConnectorAccountsService],
})
export class ConnectorsModule {}
