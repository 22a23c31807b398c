import { Injectable } from '@nestjs/common';
import { ConnectorAccountsService } from '@app/connectors/accounts/connector-accounts.service';
import { selectionOfAccount, type ConnectorSelection } from '@app/connectors/connector-selection';
import type { CustomerMapping } from '@app/database/mappings/customer-mapping';
import { MappingScopeService } from '../mapping/mapping-scope.service';

/**
 * The operator's named connector accounts as a fan-out sees them: a mapping made through one is
 * scoped by its name, so the account (and its credentials) can be found again for every later
 * step — including after a restart. A mapping made with a caller's own credentials has none.
 */
@Injectable()
export class NamedAccounts {
  constructor(
    private readonly accounts: ConnectorAccountsService,
    private readonly scope: MappingScopeService,
  ) {}

  /** The account's selection, or undefined when no such account is configured (any more). */
  selection(name: string): ConnectorSelection | undefined {
    const account = this.accounts.find(name);
    return account && selectionOfAccount(account);
  }

  /** The named account a mapping was made through, if it was and the account is still configured. */
  accountOf(mapping: Pick<CustomerMapping, 'connector' | 'connectorAccount'>): string | undefined {
    for (const name of this.accounts.names()) {
      const selection = this.selection(name)!;
      if (selection.connector.descriptor.name === mapping.connector && this.scope.connectorAccount(selection) === mapping.connectorAccount) return name;
    }
    return undefined;
  }
}
