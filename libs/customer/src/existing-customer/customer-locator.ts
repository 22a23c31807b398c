import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@app/common/config/app-config';
import { setRequestConnector } from '@app/common/context/request-context';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { BaseUrlPolicy } from '@app/connectors/base-url-policy';
import type { Connector, ExistingCustomerCall } from '@app/connectors/connector';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import type { RunOptions } from '@app/connectors/execution/connector-executor';
import type { CustomerMapping, MappingKey } from '@app/database/mappings/customer-mapping';
import { CUSTOMER_MAPPING_STORE, type CustomerMappingStore } from '@app/database/mappings/customer-mapping.store';
import { AccountScope } from '../mapping/account-scope';
import { MappingScopeService } from '../mapping/mapping-scope.service';

/** Calls about an existing customer are repeated after a transient failure (a repeat is harmless), for at most this many call deadlines. */
export const REPEAT_WITHIN_DEADLINES = 2;

/** How Get, Update and Delete run their processor call: repeated within REPEAT_WITHIN_DEADLINES call deadlines. */
export function repeatedCall(config: AppConfig): RunOptions {
  return { retry: { repeatable: true, deadline: Date.now() + REPEAT_WITHIN_DEADLINES * config.connectorTimeoutMs } };
}

/** A request about a customer that exists (Get, Update, Delete): the merchant's id, the processor's, or both. */
export interface ExistingCustomerCommand {
  scope: { tenantId: string; merchantId: string };
  selection: ConnectorSelection;
  merchantCustomerId?: string;
  connectorCustomerId?: string;
}

export interface LocatedCustomer {
  connector: Connector;
  call: ExistingCustomerCall;
  /** The stored mapping, when the customer has one at this account (a mapping is its own key). */
  mapping?: CustomerMapping;
}

/**
 * Finds the customer a Get, Update or Delete names, at the account the request selects. The
 * merchant's id reads the processor's from the stored mapping (Prism requires the processor's
 * id; an empty one is accepted with the merchant's). A customer at an operator's named account
 * must be one of this tenant's mappings: the shared credentials must not reach another tenant's
 * customers. With its own credentials, a caller may name any customer those credentials reach.
 */
@Injectable()
export class CustomerLocator {
  constructor(
    @Inject(CUSTOMER_MAPPING_STORE) private readonly mappings: CustomerMappingStore,
    private readonly accounts: AccountScope,
    private readonly scope: MappingScopeService,
    private readonly baseUrls: BaseUrlPolicy,
  ) {}

  async locate(command: ExistingCustomerCommand): Promise<LocatedCustomer> {
    const { selection, scope, merchantCustomerId } = command;
    const connectorCustomerId = command.connectorCustomerId || undefined;
    if (merchantCustomerId === undefined && connectorCustomerId === undefined) {
      throw DomainError.missingRequiredField('connector_customer_id', 'send connector_customer_id, or merchant_customer_id to read it from the stored mapping');
    }
    const { connector, credentials } = selection;
    setRequestConnector(connector.descriptor.name, selection.accountName);
    const { mapping, testMode } = await this.findInEitherMode(command);
    if (mapping?.status === 'pending') {
      throw new DomainError(ErrorReason.CreateInProgress, 'A Create of this customer at this processor account has not finished; retry shortly');
    }
    if (mapping && connectorCustomerId !== undefined && mapping.connectorCustomerId !== connectorCustomerId) {
      throw DomainError.invalidField('connector_customer_id', `is not the customer stored for merchant_customer_id ${merchantCustomerId} at this processor account`);
    }
    if (!mapping && (selection.accountName !== undefined || connectorCustomerId === undefined)) {
      throw new DomainError(ErrorReason.MappingNotFound, `No customer ${merchantCustomerId ?? connectorCustomerId} at this ${connector.descriptor.displayName} account`);
    }
    if (mapping) return this.fromMapping(mapping, selection);
    return {
      connector,
      call: { credentials, baseUrl: this.baseUrlOf(selection, testMode), testMode, connectorCustomerId: connectorCustomerId!, merchantCustomerId: merchantCustomerId ?? '', reference: '' },
    };
  }

  /**
   * The stored mapping, looked up in the account's scope for the mode the credentials tell. Prism's
   * Get, Update and Delete carry no test_mode, so where the credentials do not tell test from live
   * (a Square token, an Authorize.net login, …) the customer may have been created in either: live
   * is looked at first, then test (the account's scope and its who-am-I depend on the mode). A
   * who-am-I refused in one mode (credentials of the other environment) only rules that mode out.
   */
  private async findInEitherMode({ selection, scope, merchantCustomerId, connectorCustomerId }: ExistingCustomerCommand): Promise<{ mapping?: CustomerMapping; testMode: boolean }> {
    const { connector, credentials } = selection;
    const credentialMode = connector.descriptor.testModeOf?.(credentials);
    const modes = credentialMode === undefined ? [false, true] : [credentialMode];
    let first: { testMode: boolean } | undefined;
    let refused: unknown;
    const looked = new Set<string>();
    for (const testMode of modes) {
      let account: { current: string; former?: string };
      try {
        account = (await this.accounts.of(selection, { credentials, baseUrl: this.baseUrlOf(selection, testMode), testMode }))!;
      } catch (error) {
        if (!(modes.length > 1 && isRefusedCredential(error))) throw error;
        refused = error;
        continue;
      }
      first ??= { testMode };
      // A named account's scope, or one from credentials alone, is the same in both modes.
      if (looked.has(account.current)) continue;
      looked.add(account.current);
      const mapping = merchantCustomerId === undefined ? await this.byProcessorId(scope, connector, account.current, connectorCustomerId!) : await this.byMerchantId(scope, connector, account, merchantCustomerId);
      if (mapping) return { mapping, testMode: mapping.testMode };
    }
    if (!first) throw refused;
    return first;
  }

  /** A stored mapping at the account `selection` names (a fan-out step): no lookup, the mapping is the customer. */
  fromMapping(mapping: CustomerMapping, selection: ConnectorSelection): LocatedCustomer {
    const { connector, credentials } = selection;
    return {
      connector,
      mapping,
      call: {
        credentials,
        baseUrl: this.baseUrlOf(selection, mapping.testMode),
        testMode: mapping.testMode,
        connectorCustomerId: mapping.connectorCustomerId ?? '',
        merchantCustomerId: mapping.merchantCustomerId,
        reference: this.scope.customerReference(mapping),
      },
    };
  }

  private baseUrlOf({ connector, credentials, baseUrlOverride, accountName }: ConnectorSelection, testMode: boolean): string {
    return this.baseUrls.resolve(connector, credentials, baseUrlOverride, testMode, accountName !== undefined);
  }

  private async byMerchantId(scope: ExistingCustomerCommand['scope'], connector: Connector, account: { current: string; former?: string }, merchantCustomerId: string): Promise<CustomerMapping | undefined> {
    const key: MappingKey = { ...scope, connector: connector.descriptor.name, connectorAccount: account.current, merchantCustomerId };
    const found = await this.mappings.findByKey(key);
    if (found) return found;
    if (account.former !== undefined && account.former !== account.current && (await this.mappings.adopt(key, account.former))) return (await this.mappings.findByKey(key)) ?? undefined;
    return undefined;
  }

  private async byProcessorId(scope: ExistingCustomerCommand['scope'], connector: Connector, connectorAccount: string, connectorCustomerId: string): Promise<CustomerMapping | undefined> {
    const found = await this.mappings.list({ tenantId: scope.tenantId, merchantId: scope.merchantId, connector: connector.descriptor.name, connectorCustomerId, limit: 10 });
    return found.find((mapping) => mapping.connectorAccount === connectorAccount && mapping.status !== 'erased');
  }
}

/** The processor refused the credentials (they belong to the other environment): not an outage. */
function isRefusedCredential(error: unknown): boolean {
  return error instanceof DomainError && (error.reason === ErrorReason.ConnectorAuthenticationFailed || error.reason === ErrorReason.ConnectorPermissionDenied);
}
