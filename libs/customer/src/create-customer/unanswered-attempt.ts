import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import type { Connector, ConnectorCustomer, CreateCustomerCall } from '@app/connectors/connector';
import { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import type { CustomerMapping } from '@app/database/mappings/customer-mapping';

/**
 * An earlier attempt of a mapping went unanswered. Where a replay cannot protect the retry (the
 * connector is not retry-safe, or the processor's replay window has passed), the customer that
 * attempt may have created is looked up by our back-reference before creating one; a failed
 * lookup fails the request rather than risking a blind create. Where nothing can tell, the
 * mapping waits for an operator.
 */
@Injectable()
export class UnansweredAttempt {
  constructor(
    private readonly executor: ConnectorExecutor,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {}

  /** The customer the earlier attempt created, when a lookup found it; undefined when creating again is safe. */
  async reconcile(connector: Connector, call: CreateCustomerCall, resumed: CustomerMapping): Promise<ConnectorCustomer | undefined> {
    const { replaysSafely, replayWindowHours } = connector.descriptor.capabilities;
    const canLookUp = this.executor.supports(connector, 'findCreated');
    if (!replaysSafely && !canLookUp) {
      const name = connector.descriptor.displayName;
      throw new DomainError(
        ErrorReason.CreateOutcomeUnknown,
        `An earlier attempt to create this customer at ${name} got no answer, and ${name} offers no way to tell whether it created one. ` +
          `Find the customer at ${name} and record it (POST /v1/admin/customer-mappings/${resumed.id}/resolve), or allow a new attempt (POST /v1/admin/customer-mappings/${resumed.id}/release).`,
        { outcomeUnknown: true },
      );
    }
    if (!canLookUp) return undefined;
    const replayExpired = replayWindowHours !== undefined && Date.now() - resumed.createdAt.getTime() > replayWindowHours * 3_600_000;
    if (replaysSafely && !replayExpired) return undefined;
    const found = await this.executor.run(connector, 'findCreated', call);
    if (found) this.logger.info({ mapping_id: resumed.id, connector_customer_id: found.connectorCustomerId }, 'recovered the customer of an unanswered attempt');
    return found;
  }
}
