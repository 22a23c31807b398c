import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import type { Connector, ConnectorCustomer, CreateCustomerCall } from '@app/connectors/connector';
import { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import type { CustomerMapping } from '@app/database/mappings/customer-mapping';

/**
 * An earlier attempt of a mapping went unanswered, and this request resumes it. The retry is left
 * to the processor's replay only where the replay protects it: a retry-safe connector, inside its
 * replay window, and — where the replay rests on the request's content (a duplicate check on email
 * and name) — carrying the first attempt's details. Otherwise the customer that attempt may have
 * created is looked up first; where nothing can be looked up, or a lookup that finds nothing proves
 * nothing, the request is refused rather than creating blind.
 */
@Injectable()
export class UnansweredAttempt {
  constructor(
    private readonly executor: ConnectorExecutor,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {}

  /** The customer the earlier attempt created, when a lookup found it; undefined when creating (again) is safe. */
  async reconcile(connector: Connector, call: CreateCustomerCall, resumed: CustomerMapping, fingerprint?: string): Promise<ConnectorCustomer | undefined> {
    const { replaysSafely, replayWindowHours, replayRequiresSameDetails, lookupIsConclusive } = connector.descriptor.capabilities;
    const name = connector.descriptor.displayName;
    const canLookUp = this.executor.supports(connector, 'findCreated');
    const replayExpired = replayWindowHours !== undefined && Date.now() - resumed.createdAt.getTime() > replayWindowHours * 3_600_000;
    // A reservation from before fingerprints were kept cannot show its details match: not trusted.
    const detailsUnproven = replayRequiresSameDetails === true && (resumed.profileFingerprint === null || fingerprint === undefined || fingerprint !== resumed.profileFingerprint);
    if (replaysSafely && !replayExpired && !detailsUnproven) return undefined;

    if (!canLookUp) {
      if (detailsUnproven && resumed.profileFingerprint !== null) {
        throw new DomainError(
          ErrorReason.CreateRetryDiffers,
          `An earlier attempt to create this customer at ${name} got no answer, and ${name} recognises a repeat only by its details: retry with the details of that attempt until it is settled, ` +
            `or settle it (POST /v1/admin/customer-mappings/${resumed.id}/resolve or /release)`,
          { outcomeUnknown: true },
        );
      }
      // Nothing can tell whether the unanswered attempt created the customer: another create might
      // duplicate it. The mapping stays pending until an operator resolves it (admin API).
      throw this.outcomeUnknown(name, resumed);
    }
    const found = await this.executor.run(connector, 'findCreated', call);
    if (found) {
      this.logger.info({ mapping_id: resumed.id, connector_customer_id: found.connectorCustomerId }, 'recovered the customer of an unanswered attempt');
      return found;
    }
    // Not found: proof that nothing was created only where the lookup reads consistently.
    if (!lookupIsConclusive) throw this.outcomeUnknown(name, resumed, ` (a lookup at ${name} found none, but it cannot prove that none exists)`);
    return undefined;
  }

  private outcomeUnknown(name: string, resumed: CustomerMapping, detail = ''): DomainError {
    return new DomainError(
      ErrorReason.CreateOutcomeUnknown,
      `An earlier attempt to create this customer at ${name} got no answer, and ${name} offers no way to tell whether it created one${detail}. ` +
        `Find the customer at ${name} and record it (POST /v1/admin/customer-mappings/${resumed.id}/resolve), or allow a new attempt (POST /v1/admin/customer-mappings/${resumed.id}/release).`,
      { outcomeUnknown: true },
    );
  }
}
