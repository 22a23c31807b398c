import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import type { CustomerMapping } from '@app/database/mappings/customer-mapping';
import { CUSTOMER_MAPPING_STORE, type CustomerMappingStore } from '@app/database/mappings/customer-mapping.store';
import type { CustomerOperation, OperationStep, StepResult } from '@app/database/operations/customer-operation';
import { CUSTOMER_OPERATION_STORE, type CustomerOperationStore } from '@app/database/operations/customer-operation.store';
import { CreateCustomer } from '../create-customer/create-customer.use-case';
import { DeleteCustomer } from '../delete-customer/delete-customer.use-case';
import { CustomerLocator, REPEAT_WITHIN_DEADLINES } from '../existing-customer/customer-locator';
import { KeyedDigests } from '../mapping/keyed-digests';
import { UpdateCustomer } from '../update-customer/update-customer.use-case';
import { NamedAccounts } from './named-accounts';
import type { OperationPayload } from './profile-operation';

/** Failures worth another attempt later: the processor or the database did not serve, or a Create is still in flight. */
const TRANSIENT = new Set<ErrorReason>([
  ErrorReason.ConnectorUnavailable,
  ErrorReason.ConnectorTimeout,
  ErrorReason.ConnectorInternalError,
  ErrorReason.ConnectorRateLimited,
  ErrorReason.ConnectorConflict,
  ErrorReason.ConnectorInvalidResponse,
  ErrorReason.DatabaseUnavailable,
  ErrorReason.CreateInProgress,
]);
/** Attempts of one step before it is reported failed for good. */
export const MAX_STEP_ATTEMPTS = 8;
const RETRY_BASE_MS = 1_000;
const RETRY_CAP_MS = 60_000;
/** How often due steps (a retry's time came, a crashed holder's lease lapsed) are looked for. */
const RESUME_INTERVAL_MS = 1_000;
const RESUME_BATCH = 20;

/**
 * Runs the steps of durable operations. Each step is claimed under a lease (one holder at a time,
 * across instances), executed through the same use cases as a single call — same idempotency
 * keys, same reservations — and settled: final (succeeded, failed, not supported) or due again
 * later with backoff. Steps of one operation run concurrently. A resumer picks up due steps and
 * those a crashed holder left, so a restart finishes what was started.
 */
@Injectable()
export class OperationRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private resuming = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Inject(CUSTOMER_OPERATION_STORE) private readonly operations: CustomerOperationStore,
    @Inject(CUSTOMER_MAPPING_STORE) private readonly mappings: CustomerMappingStore,
    private readonly accounts: NamedAccounts,
    private readonly locator: CustomerLocator,
    private readonly createCustomer: CreateCustomer,
    private readonly updateCustomer: UpdateCustomer,
    private readonly deleteCustomer: DeleteCustomer,
    private readonly executor: ConnectorExecutor,
    private readonly digests: KeyedDigests,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.resume(), RESUME_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** How long a step may take before another holder may take it over: an Update or Delete repeats its call within REPEAT_WITHIN_DEADLINES deadlines, then writes. */
  private get leaseMs(): number {
    return REPEAT_WITHIN_DEADLINES * this.config.connectorTimeoutMs + 5_000;
  }

  /** Runs every pending step of the operation once (concurrently), then completes it if none is left. */
  async run(operation: CustomerOperation, steps: OperationStep[]): Promise<void> {
    await Promise.allSettled(steps.filter((step) => step.status === 'pending').map((step) => this.track(this.runStep(operation, step))));
    await this.operations.completeIfDone(operation.id);
  }

  /** Due steps of any operation: retries whose time came, and steps a crashed holder left. */
  async resume(): Promise<void> {
    if (this.resuming) return;
    this.resuming = true;
    try {
      const due = await this.operations.dueSteps(new Date(), RESUME_BATCH);
      const byOperation = new Map<string, OperationStep[]>();
      for (const step of due) byOperation.set(step.operationId, [...(byOperation.get(step.operationId) ?? []), step]);
      await Promise.allSettled(
        [...byOperation].map(async ([operationId, steps]) => {
          const operation = await this.operations.findForResume(operationId);
          if (operation) await this.run(operation, steps);
        }),
      );
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'could not resume operation steps');
    } finally {
      this.resuming = false;
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  private async runStep(operation: CustomerOperation, step: OperationStep): Promise<void> {
    const lease = { token: randomUUID(), expiresAt: new Date(Date.now() + this.leaseMs) };
    if (!(await this.operations.claimStep(step.id, lease, new Date()))) return;
    let result: StepResult;
    try {
      result = await this.execute(operation, step);
    } catch (error) {
      result = this.failure(error, step.attempts + 1);
    }
    if (!result.final || result.status !== 'succeeded') {
      this.logger.warn({ operation_id: operation.id, step_id: step.id, connector: step.connector, final: result.final, reason: result.errorReason }, 'operation step failed');
    }
    await this.operations.settleStep(step.id, lease.token, result);
  }

  private async execute(operation: CustomerOperation, step: OperationStep): Promise<StepResult> {
    const selection = step.accountName === null ? undefined : this.accounts.selection(step.accountName);
    if (!selection) return { final: true, status: 'unreachable', errorReason: 'ACCOUNT_NOT_CONFIGURED' };
    const scope = { tenantId: operation.tenantId, merchantId: operation.merchantId };
    if (operation.kind === 'create') {
      const payload = this.payloadOf(operation);
      const created = await this.createCustomer.execute({ scope, selection, customer: payload.customer! });
      return { final: true, status: 'succeeded', outcome: created.created ? 'created' : 'replayed', connectorCustomerId: created.connectorCustomerId, mappingId: created.mappingId };
    }
    const mapping = step.mappingId === null ? null : await this.mappings.findById(scope, step.mappingId);
    if (!mapping) return { final: true, status: 'failed', errorReason: ErrorReason.MappingNotFound };
    if (mapping.status === 'erased') return { final: true, status: 'succeeded', outcome: 'already_erased', connectorCustomerId: mapping.connectorCustomerId ?? undefined };
    if (mapping.status === 'pending') throw new DomainError(ErrorReason.CreateInProgress, 'a Create of this customer has not finished');
    return operation.kind === 'update' ? this.update(operation, mapping, selection) : this.erase(mapping, selection);
  }

  private async update(operation: CustomerOperation, mapping: CustomerMapping, selection: ConnectorSelection): Promise<StepResult> {
    const { customer } = this.payloadOf(operation);
    const updated = await this.updateCustomer.apply(this.locator.fromMapping(mapping, selection), customer!);
    return { final: true, status: 'succeeded', outcome: updated.changed ? 'updated' : 'unchanged', connectorCustomerId: updated.connectorCustomerId };
  }

  /** Deleted where the processor can delete; forgotten here either way (the report says which). */
  private async erase(mapping: CustomerMapping, selection: ConnectorSelection): Promise<StepResult> {
    const located = this.locator.fromMapping(mapping, selection);
    if (!this.executor.supports(located.connector, 'delete')) {
      await this.deleteCustomer.forget(mapping);
      return { final: true, status: 'not_supported', outcome: 'forgotten', connectorCustomerId: mapping.connectorCustomerId ?? undefined, errorReason: ErrorReason.ConnectorNotImplemented };
    }
    const deleted = await this.deleteCustomer.apply(located);
    return { final: true, status: 'succeeded', outcome: deleted.alreadyDeleted ? 'already_deleted' : 'deleted', connectorCustomerId: deleted.connectorCustomerId };
  }

  private payloadOf(operation: CustomerOperation): OperationPayload {
    if (operation.sealedPayload === null) throw new DomainError(ErrorReason.Internal, `operation ${operation.id} has no payload left`);
    return this.digests.unseal<OperationPayload>(operation.sealedPayload);
  }

  /** A failed attempt: again later (backoff with jitter) when the failure may pass, else final. */
  private failure(error: unknown, attempts: number): StepResult {
    const reason = error instanceof DomainError ? error.reason : ErrorReason.Internal;
    const errorCode = error instanceof DomainError ? error.details.connector?.code : undefined;
    if (reason === ErrorReason.ConnectorNotImplemented) return { final: true, status: 'not_supported', errorReason: reason, errorCode };
    if (!TRANSIENT.has(reason) || attempts >= MAX_STEP_ATTEMPTS) {
      return { final: true, status: 'failed', errorReason: reason, errorCode };
    }
    const retryAfterMs = error instanceof DomainError && error.details.retryAfterSeconds !== undefined ? error.details.retryAfterSeconds * 1000 : undefined;
    const backoffMs = retryAfterMs ?? Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempts - 1)) * (0.5 + Math.random() / 2);
    return { final: false, retryAt: new Date(Date.now() + backoffMs), errorReason: reason, errorCode };
  }
}
