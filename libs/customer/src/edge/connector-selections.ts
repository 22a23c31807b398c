import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { registerSensitiveValues } from '@app/common/context/request-context';
import { DomainError } from '@app/common/errors/domain-error';
import { headerReaderOf, tenantScopeFrom, transportCarrierOf, type TenantScope } from '@app/common/context/request-headers';
import { ConnectorAccountsService } from '@app/connectors/accounts/connector-accounts.service';
import { ConnectorRegistry } from '@app/connectors/connector-registry';
import { selectConnector, type ConnectorSelection } from '@app/connectors/connector-selection';

const SELECTIONS = Symbol.for('connector-service.connector-selections');

type Carrier = { [SELECTIONS]?: readonly ConnectorSelection[] };

/**
 * Resolves, once per request and alike on both transports, which processors and credentials the
 * request names (`x-connector-account`, `x-connector-config`, Prism's legacy headers): a list of
 * selections, one for a plain call. Their secrets are registered for scrubbing before anything
 * can log them; the use case names the connectors in the request context once the request is
 * valid. A bad header refuses the request here, before its body is read.
 */
@Injectable()
export class ConnectorSelectionGuard implements CanActivate {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly accounts: ConnectorAccountsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const selection = selectConnector(this.registry, headerReaderOf(context), this.accounts);
    const { credentialFields } = selection.connector.descriptor;
    registerSensitiveValues(...credentialFields.filter((field) => field.secret).map((field) => selection.credentials[field.name]));
    (transportCarrierOf(context) as Carrier)[SELECTIONS] = [selection];
    return true;
  }
}

/** The selections `ConnectorSelectionGuard` resolved for this request. */
export const Selections = createParamDecorator((_: unknown, context: ExecutionContext): readonly ConnectorSelection[] => {
  const selections = (transportCarrierOf(context) as Carrier)[SELECTIONS];
  if (!selections) throw new Error('@Selections() needs ConnectorSelectionGuard on the route');
  return selections;
});

/** The request's tenant and merchant (`x-tenant-id`, `x-merchant-id`; Prism's defaults), refused when malformed. */
export const Scope = createParamDecorator((_: unknown, context: ExecutionContext): TenantScope => tenantScopeFrom(headerReaderOf(context)));

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The caller's `idempotency-key` header (HTTP) or metadata (gRPC), when sent: a repeat returns the first answer. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const value = headerReaderOf(context)('idempotency-key');
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) throw DomainError.invalidDataFormat('idempotency-key', 'must be 1 to 255 printable ASCII characters without spaces');
  return value;
});
