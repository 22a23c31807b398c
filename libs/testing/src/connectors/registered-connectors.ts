import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import type { Connector } from '@app/connectors/connector';
import { CONNECTOR_TYPES } from '@app/connectors/connector-registry';
import { AccessTokenCache } from '@app/connectors/execution/access-token-cache';

/**
 * Every registered connector, built synchronously with the collaborators ConnectorsModule would
 * inject (jest's `describe.each` tables are built before any async setup can run). A test in
 * connectors.module.spec.ts holds Nest's own list to the same connectors.
 */
export function registeredConnectors(collaborators: readonly object[] = [new AccessTokenCache()]): Connector[] {
  return CONNECTOR_TYPES.map((type) => build(type, collaborators));
}

function build(type: Type<Connector>, collaborators: readonly object[]): Connector {
  const parameters: unknown[] = Reflect.getMetadata('design:paramtypes', type) ?? [];
  const injected = parameters.map((parameter) => collaborators.find((collaborator) => collaborator.constructor === parameter));
  return new type(...injected);
}
