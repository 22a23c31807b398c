import { Module } from '@nestjs/common';
import { BaseUrlPolicy } from './base-url-policy';
import { CONNECTORS, ConnectorRegistry, registeredConnectors } from './connector-registry';
import { ConnectorHttpClient } from './http/connector-http-client';

@Module({
  providers: [
    { provide: CONNECTORS, useFactory: () => new ConnectorRegistry(registeredConnectors()) },
    ConnectorHttpClient,
    BaseUrlPolicy,
  ],
  exports: [CONNECTORS, ConnectorHttpClient, BaseUrlPolicy],
})
export class ConnectorsModule {}
