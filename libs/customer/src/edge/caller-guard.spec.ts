import type { ExecutionContext } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { strictDouble } from '@app/testing/strict-double';
import { CustomerMappingAdminGrpcController } from '../admin/customer-mapping-admin-grpc.controller';
import { CustomerMappingAdminHttpController } from '../admin/customer-mapping-admin-http.controller';
import { AdminTokenGuard } from '../admin/admin-token.guard';
import type { AuditLog } from '../callers/audit-log';
import type { CallerKeysService } from '../callers/caller-keys.service';
import type { CallerLimits } from '../callers/caller-limits';
import { CustomerGrpcController } from '../grpc/customer-grpc.controller';
import { CustomerHttpController } from '../http/customer-http.controller';
import { CallerGuard, RequiresScope, requiredScopeOf } from './caller-guard';
import { ConnectorSelectionGuard } from './connector-selections';

const GRPC_METHOD_METADATA = 'microservices:pattern';
const reflector = new Reflector();

/** The methods Nest routes: an HTTP route or a gRPC method. */
function handlersOf(controller: new (...args: never[]) => object): string[] {
  return Object.getOwnPropertyNames(controller.prototype).filter((name) => {
    const method = (controller.prototype as Record<string, unknown>)[name];
    return name !== 'constructor' && typeof method === 'function' && (Reflect.getMetadata(PATH_METADATA, method) !== undefined || Reflect.getMetadata(GRPC_METHOD_METADATA, method) !== undefined || Reflect.getMetadata(METHOD_METADATA, method) !== undefined);
  });
}

describe(CallerGuard.name, () => {
  it.each([CustomerHttpController, CustomerGrpcController])('guards %p with CallerGuard, then ConnectorSelectionGuard, at class level', (controller) => {
    expect(Reflect.getMetadata(GUARDS_METADATA, controller)).toEqual([CallerGuard, ConnectorSelectionGuard]);
  });

  it.each([CustomerHttpController, CustomerGrpcController])('finds a stated scope on every handler of %p (a new operation must state one)', (controller) => {
    const handlers = handlersOf(controller);

    expect(handlers.length).toBeGreaterThan(0);
    for (const name of handlers) {
      expect({ name, scope: requiredScopeOf(reflector, (controller.prototype as unknown as Record<string, () => unknown>)[name]) }).toEqual({ name, scope: expect.stringMatching(/^customers:(create|read|update|delete)$/) });
    }
  });

  it.each([CustomerMappingAdminHttpController, CustomerMappingAdminGrpcController])('guards the admin API %p with AdminTokenGuard', (controller) => {
    expect(Reflect.getMetadata(GUARDS_METADATA, controller)).toEqual([AdminTokenGuard]);
  });

  it('refuses a handler that states no scope, even without caller keys (fails closed, loudly)', () => {
    class Unscoped {
      handler(): void {}
    }
    const sut = new CallerGuard(reflector, strictDouble<CallerKeysService>({ configured: false }), strictDouble<CallerLimits>(), strictDouble<AuditLog>());
    const context = { getHandler: () => Unscoped.prototype.handler, getClass: () => Unscoped } as unknown as ExecutionContext;

    expect(() => sut.canActivate(context)).toThrow('Unscoped.handler states no @RequiresScope(…)');
  });

  it('lets every caller through when no CALLER_KEYS_FILE is set (loopback, or the opt-out)', () => {
    class Scoped {
      @RequiresScope('customers:read')
      handler(): void {}
    }
    const sut = new CallerGuard(reflector, strictDouble<CallerKeysService>({ configured: false }), strictDouble<CallerLimits>(), strictDouble<AuditLog>());
    const context = { getHandler: () => Scoped.prototype.handler, getClass: () => Scoped } as unknown as ExecutionContext;

    expect(sut.canActivate(context)).toBe(true);
  });
});
