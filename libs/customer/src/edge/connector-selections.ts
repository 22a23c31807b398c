import { createParamDecorator, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { registerSensitiveValues } from '@app/common/context/request-context';
import { headerReaderOf, transportCarrierOf, type HeaderReader, type TenantScope } from '@app/common/context/request-headers';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { ConnectorAccountsService } from '@app/connectors/accounts/connector-accounts.service';
import { ConnectorRegistry } from '@app/connectors/connector-registry';
import { selectConnector, selectionFormOf, type ConnectorSelection } from '@app/connectors/connector-selection';
import { AuditLog } from '../callers/audit-log';
import type { CallerKey } from '../callers/caller-keys';
import { callerOf, operationOf, tenantScopeOf } from './caller-guard';

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
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const headers = headerReaderOf(context);
    const caller = callerOf(context);
    if (caller) this.refuseUngranted(caller, headers, context);
    const selection = selectConnector(this.registry, headers, this.accounts);
    const { credentialFields } = selection.connector.descriptor;
    registerSensitiveValues(...credentialFields.filter((field) => field.secret).map((field) => selection.credentials[field.name]));
    (transportCarrierOf(context) as Carrier)[SELECTIONS] = [selection];
    return true;
  }

  /**
   * A named account or the caller's own credentials that its key does not grant: refused before
   * the headers are even parsed, so nothing is stored or sent. The refusal names no other account.
   */
  private refuseUngranted(caller: CallerKey, headers: HeaderReader, context: ExecutionContext): void {
    const form = selectionFormOf(headers);
    let message: string | undefined;
    if (form.kind === 'account' && caller.accounts !== 'all' && !caller.accounts.has(form.account)) {
      message = `Caller "${caller.name}" may not use connector account "${form.account}" (x-connector-account)`;
    } else if (form.kind === 'inline' && !caller.inlineCredentials) {
      message = `Caller "${caller.name}" may not send processor credentials (${form.header}): select a connector account granted to it with x-connector-account`;
    }
    if (message === undefined) return;
    this.audit.record({ actor: caller.name, tenant: caller.tenant, action: 'authorize', target: operationOf(context), outcome: ErrorReason.CallerForbidden, detail: message });
    throw new DomainError(ErrorReason.CallerForbidden, message);
  }
}

/** The selections `ConnectorSelectionGuard` resolved for this request. */
export const Selections = createParamDecorator((_: unknown, context: ExecutionContext): readonly ConnectorSelection[] => {
  const selections = (transportCarrierOf(context) as Carrier)[SELECTIONS];
  if (!selections) throw new Error('@Selections() needs ConnectorSelectionGuard on the route');
  return selections;
});

/**
 * The request's tenant and merchant: the caller key's tenant when callers are identified, else
 * `x-tenant-id`; `x-merchant-id` (Prism's defaults), refused when malformed.
 */
export const Scope = createParamDecorator((_: unknown, context: ExecutionContext): TenantScope => tenantScopeOf(context));

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The caller's `idempotency-key` header (HTTP) or metadata (gRPC), when sent: a repeat returns the first answer. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const value = headerReaderOf(context)('idempotency-key');
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) throw DomainError.invalidDataFormat('idempotency-key', 'must be 1 to 255 printable ASCII characters without spaces');
  return value;
});
