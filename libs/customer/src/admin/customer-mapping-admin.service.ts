import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { ConnectorRegistry } from '@app/connectors/connector-registry';
import type { CustomerMapping } from '@app/database/mappings/customer-mapping';
import { CUSTOMER_MAPPING_STORE, type CustomerMappingStore } from '@app/database/mappings/customer-mapping.store';
import { AuditLog } from '../callers/audit-log';
import type { AdminScope } from './admin-token.guard';
import type { ListCustomerMappingsQueryDto } from './customer-mapping-query.dto';

export const DEFAULT_PAGE_SIZE = 20;

/** A mapping as the admin API shows it (proto field names; timestamps RFC 3339). */
export interface CustomerMappingView {
  id: string;
  tenant_id: string;
  merchant_id: string;
  merchant_customer_id: string;
  connector: string;
  connector_account: string;
  connector_customer_id: string;
  status: string;
  test_mode: boolean;
  idempotency_key: string;
  created_at: string;
  updated_at: string;
}

export interface CustomerMappingPage {
  mappings: CustomerMappingView[];
  next_cursor?: string;
}

function toView(mapping: CustomerMapping): CustomerMappingView {
  return {
    id: mapping.id,
    tenant_id: mapping.tenantId,
    merchant_id: mapping.merchantId,
    merchant_customer_id: mapping.merchantCustomerId,
    connector: mapping.connector,
    connector_account: mapping.connectorAccount,
    connector_customer_id: mapping.connectorCustomerId ?? '',
    status: mapping.status,
    test_mode: mapping.testMode,
    idempotency_key: mapping.idempotencyKey,
    created_at: mapping.createdAt.toISOString(),
    updated_at: mapping.updatedAt.toISOString(),
  };
}

const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    throw DomainError.invalidField('cursor', 'must be a next_cursor value from a previous page');
  }
  return id;
}

/** Read-only lookup of stored mappings, always within one tenant. */
@Injectable()
export class CustomerMappingAdminService {
  constructor(
    @Inject(CUSTOMER_MAPPING_STORE) private readonly mappings: CustomerMappingStore,
    private readonly registry: ConnectorRegistry,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async list(tenantId: string, query: ListCustomerMappingsQueryDto): Promise<CustomerMappingPage> {
    if (query.connector !== undefined && !this.registry.byConnectorName(query.connector)) {
      throw DomainError.invalidField('connector', `is not a connector of this service; known: ${this.registry.names().join(', ')}`);
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.mappings.list({
      tenantId,
      merchantId: query.merchant_id,
      merchantCustomerId: query.merchant_customer_id,
      connectorCustomerId: query.connector_customer_id,
      connector: query.connector,
      beforeId: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      mappings: page.map(toView),
      ...(rows.length > limit && { next_cursor: encodeCursor(page[page.length - 1].id) }),
    };
  }

  async get(tenantId: string, id: string): Promise<CustomerMappingView> {
    return toView(await this.existing(tenantId, id));
  }

  /** An admin write: audited, whatever its outcome. */
  resolve({ actor, tenantId }: AdminScope, id: string, connectorCustomerId: string): Promise<CustomerMappingView> {
    return this.audited(actor, tenantId, 'mapping.resolve', id, async () => {
      if (!(await this.mappings.resolvePending({ tenantId }, id, connectorCustomerId))) throw await this.notPending(tenantId, id);
      return this.get(tenantId, id);
    });
  }

  /** Returns the mapping as it was before it was released. An admin write: audited, whatever its outcome. */
  release({ actor, tenantId }: AdminScope, id: string): Promise<CustomerMappingView> {
    return this.audited(actor, tenantId, 'mapping.release', id, async () => {
      const mapping = await this.existing(tenantId, id);
      if (!(await this.mappings.removePending({ tenantId }, id))) throw await this.notPending(tenantId, id);
      return toView(mapping);
    });
  }

  private async audited<T>(actor: string, tenant: string, action: string, target: string, write: () => Promise<T>): Promise<T> {
    try {
      const result = await write();
      this.audit.record({ actor, tenant, action, target, outcome: 'ok' });
      return result;
    } catch (error) {
      this.audit.record({ actor, tenant, action, target, outcome: error instanceof DomainError ? error.reason : ErrorReason.Internal });
      throw error;
    }
  }

  private async existing(tenantId: string, id: string): Promise<CustomerMapping> {
    const mapping = await this.mappings.findById({ tenantId }, id);
    if (!mapping) throw new DomainError(ErrorReason.MappingNotFound, `No customer mapping ${id}`);
    return mapping;
  }

  private async notPending(tenantId: string, id: string): Promise<DomainError> {
    await this.existing(tenantId, id);
    return new DomainError(ErrorReason.MappingNotPending, `Customer mapping ${id} is active: only a pending mapping can be resolved or released`);
  }
}
