import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Connector, ProcessorCall } from '@app/connectors/connector';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import { MappingScopeService } from './mapping-scope.service';

/** Accounts whose id was asked of the processor, remembered per credentials (an LRU of this size). */
const IDENTIFIED_ACCOUNTS = 10_000;

export interface AccountScopes {
  /** The scope mappings of this account live in. */
  current: string;
  /** The scope they had before the account's own id was known (a secret-based one), when it differs. */
  former?: string;
}

/**
 * Which processor account a selection names, as a mapping scope that survives key rotation: a
 * named account by its name; an account whose credentials carry its id without a secret, or whose
 * processor says who the credentials belong to (`identifyAccount`, asked once per key), by that
 * id and the mode; otherwise by the account-identifying credential, as before.
 */
@Injectable()
export class AccountScope {
  private readonly identified = new Map<string, Promise<string>>();

  constructor(
    private readonly scope: MappingScopeService,
    private readonly executor: ConnectorExecutor,
  ) {}

  /** `askProcessor: false`: undefined rather than a call, when only the processor could tell (the request is being refused anyway). */
  async of(selection: ConnectorSelection, call: ProcessorCall, options: { askProcessor?: boolean } = {}): Promise<AccountScopes | undefined> {
    const { connector, credentials, accountName } = selection;
    const credentialScope = this.scope.connectorAccount(selection);
    if (accountName !== undefined) return { current: credentialScope };
    let accountId = connector.descriptor.accountIdOf?.(credentials);
    if (accountId === undefined && this.executor.supports(connector, 'identifyAccount')) {
      if (options.askProcessor === false && !this.identified.has(this.identityKey(connector, call))) return undefined;
      accountId = await this.identifyIfPermitted(connector, call);
    }
    if (accountId === undefined) return { current: credentialScope };
    return { current: this.scope.accountIdScope(connector.descriptor.name, accountId, call.testMode), former: credentialScope };
  }

  /**
   * A key the processor does not let read its account (a restricted Stripe key without that
   * permission) keeps the credential scope, as before account ids: its mappings are then tied to
   * that key. Any other failure fails the request: guessing a scope could fork a customer.
   */
  private async identifyIfPermitted(connector: Connector, call: ProcessorCall): Promise<string | undefined> {
    try {
      return await this.identify(connector, call);
    } catch (error) {
      if (error instanceof DomainError && error.reason === ErrorReason.ConnectorPermissionDenied) return undefined;
      throw error;
    }
  }

  private identityKey(connector: Connector, call: ProcessorCall): string {
    return createHash('sha256').update(connector.descriptor.name).update('\0').update(call.baseUrl).update('\0').update(connector.descriptor.accountIdentity(call.credentials)).digest('hex');
  }

  private identify(connector: Connector, call: ProcessorCall): Promise<string> {
    const key = this.identityKey(connector, call);
    let pending = this.identified.get(key);
    if (pending) {
      this.identified.delete(key);
      this.identified.set(key, pending);
      return pending;
    }
    pending = this.executor.run(connector, 'identifyAccount', { credentials: call.credentials, baseUrl: call.baseUrl, testMode: call.testMode }).then((account) => account.accountId);
    // A failed lookup is not remembered: the next request asks again.
    pending.catch(() => this.identified.delete(key));
    this.identified.set(key, pending);
    if (this.identified.size > IDENTIFIED_ACCOUNTS) this.identified.delete(this.identified.keys().next().value!);
    return pending;
  }
}
