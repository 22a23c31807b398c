import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { registerSensitiveValues, setRequestConnector, setRequestOutcome } from '@app/common/context/request-context';
import { uuidv7 } from '@app/common/domain/ids';
import { personalValuesOf, type CustomerProfile } from '@app/common/domain/customer-profile';
import { DomainError, type FieldViolation } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { Connector, CustomerRecord, FlowName } from '@app/connectors/connector';
import { ConnectorExecutor } from '@app/connectors/execution/connector-executor';
import type { CustomerMapping } from '@app/database/mappings/customer-mapping';
import { CUSTOMER_MAPPING_STORE, type CustomerMappingStore } from '@app/database/mappings/customer-mapping.store';
import type { NewStep, OperationKind } from '@app/database/operations/customer-operation';
import { CUSTOMER_OPERATION_STORE, type CustomerOperationStore } from '@app/database/operations/customer-operation.store';
import { CustomerLocator } from '../existing-customer/customer-locator';
import { KeyedDigests } from '../mapping/keyed-digests';
import { MappingScopeService } from '../mapping/mapping-scope.service';
import { NamedAccounts } from './named-accounts';
import { OperationRunner } from './operation-runner';
import type { OperationPayload, ProfileOperationView } from './profile-operation';

/** Accounts one Create may name. */
export const MAX_ACCOUNTS_PER_OPERATION = 20;
/** A request waits at most this much longer than one processor call for its steps before answering "running". */
const WAIT_MARGIN_MS = 5_000;

export interface CustomerRef {
  scope: { tenantId: string; merchantId: string };
  merchantCustomerId: string;
  /** Whether the caller may use a named account (its key's `accounts`); absent: every one. */
  grants?: (account: string) => boolean;
}

export interface StartOperationCommand extends CustomerRef {
  kind: OperationKind;
  /** create: the named accounts to create the customer at. */
  accounts?: string[];
  /** create: the customer; update: only what changes. */
  customer?: CustomerProfile;
  /** The caller's `idempotency-key`: a repeat returns the same operation. */
  idempotencyKey?: string;
}

export interface ProfileView {
  mapping: CustomerMapping;
  /** The named account the profile was made through; undefined when made with a caller's own credentials. */
  accountName?: string;
  live?: { status: 'ok' | 'not_supported' | 'unreachable' | 'failed'; record?: CustomerRecord; errorReason?: string; errorCode?: string };
}

/**
 * One customer, every processor: the profiles of a merchant customer (optionally as each processor
 * holds it now), and changes applied to all of them at once as durable operations — create at
 * several named accounts, update everywhere, erase everywhere. An operation and its steps are
 * stored before any processor is called; the runner executes the steps concurrently and resumes
 * what a crash interrupted.
 */
@Injectable()
export class CustomerProfiles {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CUSTOMER_MAPPING_STORE) private readonly mappings: CustomerMappingStore,
    @Inject(CUSTOMER_OPERATION_STORE) private readonly operations: CustomerOperationStore,
    private readonly accounts: NamedAccounts,
    private readonly scope: MappingScopeService,
    private readonly locator: CustomerLocator,
    private readonly executor: ConnectorExecutor,
    private readonly digests: KeyedDigests,
    private readonly runner: OperationRunner,
  ) {}

  async list(ref: CustomerRef, live: boolean): Promise<ProfileView[]> {
    const mappings = await this.profilesOf(ref);
    return Promise.all(mappings.map((mapping) => this.view(mapping, live, ref.grants)));
  }

  async start(command: StartOperationCommand): Promise<ProfileOperationView & { replayed: boolean }> {
    if (command.customer) registerSensitiveValues(...personalValuesOf(command.customer));
    const { scope, merchantCustomerId, kind } = command;
    const customerHash = this.hashOf(command);
    const requestFingerprint = this.digests.requestFingerprint({
      kind,
      merchantCustomerId,
      accounts: command.accounts ?? null,
      customer: command.customer ? this.digests.profileFingerprint(command.customer) : null,
      testMode: command.customer?.testMode ?? null,
    });
    // Kept as a keyed digest: a caller may put anything in its key, the customer's id included.
    const idempotencyKey = command.idempotencyKey === undefined ? null : this.digests.idempotencyKey('operation', command.idempotencyKey);
    if (idempotencyKey !== null) {
      const earlier = await this.repeatOf(scope, idempotencyKey, requestFingerprint);
      if (earlier) return earlier;
    }

    const id = uuidv7();
    const steps = kind === 'create' ? this.createSteps(id, command) : await this.existingSteps(id, command);
    for (const step of steps) setRequestConnector(step.connector, step.accountName ?? undefined);
    const payload: OperationPayload | undefined = kind === 'erase' ? undefined : { merchantCustomerId, customer: command.customer };
    const operation = { id, tenantId: scope.tenantId, merchantId: scope.merchantId, customerHash, kind, idempotencyKey, requestFingerprint, sealedPayload: payload ? this.digests.seal(payload) : null };
    if (!(await this.operations.create(operation, steps))) {
      // Another request stored this idempotency key first: its operation is the answer.
      const earlier = await this.repeatOf(scope, idempotencyKey!, requestFingerprint);
      if (earlier) return earlier;
    }
    const stored = (await this.operations.find(scope, id))!;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.runner.run(stored, await this.operations.steps(id)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, this.config.connectorTimeoutMs + WAIT_MARGIN_MS))),
    ]);
    clearTimeout(timer);
    const view = await this.operation(ref(command), id);
    setRequestOutcome(view.operation.status === 'completed' ? 'completed' : 'running');
    return { ...view, replayed: false };
  }

  async operation(customer: CustomerRef, id: string): Promise<ProfileOperationView> {
    const operation = await this.operations.find(customer.scope, id);
    if (!operation || operation.merchantId !== customer.scope.merchantId || operation.customerHash !== this.hashOf(customer)) {
      throw new DomainError(ErrorReason.OperationNotFound, `No operation ${id} for this merchant customer`);
    }
    return { operation, steps: await this.operations.steps(id) };
  }

  async operationsOf(customer: CustomerRef, limit: number): Promise<ProfileOperationView[]> {
    const operations = await this.operations.listForCustomer(customer.scope, this.hashOf(customer), limit);
    return Promise.all(operations.map(async (operation) => ({ operation, steps: await this.operations.steps(operation.id) })));
  }

  private hashOf({ scope, merchantCustomerId }: CustomerRef): string {
    return this.digests.customerHash(scope.tenantId, scope.merchantId, merchantCustomerId);
  }

  /** The customer's mappings that are not erased. */
  private async profilesOf({ scope, merchantCustomerId }: CustomerRef): Promise<CustomerMapping[]> {
    return (await this.mappings.profilesOf({ ...scope, merchantCustomerId })).filter((mapping) => mapping.status !== 'erased');
  }

  private async repeatOf(scope: CustomerRef['scope'], idempotencyKey: string, requestFingerprint: string): Promise<(ProfileOperationView & { replayed: boolean }) | undefined> {
    const earlier = await this.operations.findByIdempotencyKey(scope, idempotencyKey);
    if (!earlier) return undefined;
    if (earlier.requestFingerprint !== requestFingerprint) {
      throw new DomainError(ErrorReason.IdempotencyKeyReused, 'This idempotency-key already started another operation (other parameters): send a new key for a new request');
    }
    setRequestOutcome('replayed');
    return { operation: earlier, steps: await this.operations.steps(earlier.id), replayed: true };
  }

  /** One step per named account, each refused before anything is stored if the account is unknown or the customer over its limits. */
  private createSteps(operationId: string, command: StartOperationCommand): NewStep[] {
    const names = command.accounts ?? [];
    if (names.length === 0) throw DomainError.invalidField('accounts', 'name at least one connector account');
    if (names.length > MAX_ACCOUNTS_PER_OPERATION) throw DomainError.invalidField('accounts', `name at most ${MAX_ACCOUNTS_PER_OPERATION} connector accounts`);
    const violations: FieldViolation[] = [];
    const steps: NewStep[] = [];
    const ungranted = names.filter((name) => command.grants?.(name) === false);
    if (ungranted.length > 0) {
      throw new DomainError(ErrorReason.CallerForbidden, `This caller key may not use connector account${ungranted.length > 1 ? 's' : ''} ${ungranted.map((name) => `"${name}"`).join(', ')}`, {
        fieldViolations: ungranted.map((name) => ({ field: `accounts[${names.indexOf(name)}]`, description: 'is not among the accounts this caller key grants' })),
      });
    }
    names.forEach((name, index) => {
      const selection = this.accounts.selection(name);
      if (!selection) return void violations.push({ field: `accounts[${index}]`, description: `no connector account "${name}" is configured` });
      if (names.indexOf(name) !== index) return void violations.push({ field: `accounts[${index}]`, description: `"${name}" is named twice` });
      violations.push(...this.violationsAt(selection.connector, 'create', name, command.customer!));
      steps.push(this.step(operationId, selection.connector.descriptor.name, name, this.scope.connectorAccount(selection), null));
    });
    if (violations.length > 0) throw DomainError.validation(violations);
    return steps;
  }

  /** One step per profile of the customer; a profile without stored credentials, or a processor without the flow, is settled at once. */
  private async existingSteps(operationId: string, command: StartOperationCommand): Promise<NewStep[]> {
    const profiles = await this.profilesOf(command);
    if (profiles.length === 0) throw new DomainError(ErrorReason.MappingNotFound, `No processor profile of merchant customer ${command.merchantCustomerId}`);
    const violations: FieldViolation[] = [];
    const steps = profiles.map((mapping) => {
      const accountName = this.accounts.accountOf(mapping);
      const step = this.step(operationId, mapping.connector, accountName ?? null, mapping.connectorAccount, mapping.id);
      if (accountName === undefined) return { ...step, status: 'unreachable' as const, errorReason: 'NO_STORED_CREDENTIALS' };
      if (command.grants?.(accountName) === false) return { ...step, status: 'unreachable' as const, errorReason: 'ACCOUNT_NOT_GRANTED' };
      const { connector } = this.accounts.selection(accountName)!;
      if (command.kind === 'update') {
        if (!this.executor.supports(connector, 'update')) return { ...step, status: 'not_supported' as const, errorReason: ErrorReason.ConnectorNotImplemented };
        violations.push(...this.violationsAt(connector, 'update', accountName, command.customer!));
      }
      return step;
    });
    if (violations.length > 0) throw DomainError.validation(violations);
    return steps;
  }

  /** The processor's limits the customer breaks at one named account, each saying which. */
  private violationsAt(connector: Connector, flow: 'create' | 'update', accountName: string, customer: CustomerProfile): FieldViolation[] {
    return this.executor.validate(connector, flow, customer).map(({ field, description }) => ({ field, description: `${description} (${connector.descriptor.displayName}, account ${accountName})` }));
  }

  private step(operationId: string, connector: string, accountName: string | null, connectorAccount: string, mappingId: string | null): NewStep {
    return { id: uuidv7(), operationId, connector, accountName, connectorAccount, mappingId, status: 'pending', idempotencyKey: randomUUID(), outcome: null, errorReason: null, errorCode: null };
  }

  private async view(mapping: CustomerMapping, live: boolean, grants?: (account: string) => boolean): Promise<ProfileView> {
    const accountName = this.accounts.accountOf(mapping);
    if (!live || mapping.status !== 'active') return { mapping, accountName };
    if (accountName !== undefined && grants?.(accountName) === false) return { mapping, accountName, live: { status: 'unreachable', errorReason: 'ACCOUNT_NOT_GRANTED' } };
    const selection = accountName === undefined ? undefined : this.accounts.selection(accountName);
    if (!selection) return { mapping, accountName, live: { status: 'unreachable', errorReason: 'NO_STORED_CREDENTIALS' } };
    const flow: FlowName = 'get';
    if (!this.executor.supports(selection.connector, flow)) return { mapping, accountName, live: { status: 'not_supported' } };
    try {
      const { call, connector } = this.locator.fromMapping(mapping, selection);
      const got = await this.executor.run(connector, flow, call);
      registerSensitiveValues(...personalValuesOf(got.record));
      return { mapping, accountName, live: { status: 'ok', record: got.record } };
    } catch (error) {
      const failure = error instanceof DomainError ? error : undefined;
      return { mapping, accountName, live: { status: 'failed', errorReason: failure?.reason ?? ErrorReason.Internal, errorCode: failure?.details.connector?.code } };
    }
  }
}

const ref = ({ scope, merchantCustomerId }: CustomerRef): CustomerRef => ({ scope, merchantCustomerId });
