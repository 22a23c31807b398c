import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { ConnectorAccountsService } from '@app/connectors/accounts/connector-accounts.service';
import { ConnectorRegistry } from '@app/connectors/connector-registry';
import { CallerKeysService } from '@app/customer/callers/caller-keys.service';
import { CallPolicy } from '@app/connectors/execution/call-policy';
import type { ProcessorCallObserver } from '@app/connectors/http/processor-call-observer';
import { OperationalStatsRepository } from '@app/database/operational-stats.repository';
import type { RequestSummary } from './request-summary';

export const METRICS_REGISTRY = 'METRICS_REGISTRY';
export const METRIC_PREFIX = 'connector_service_';

/** Time a scrape waits for the pending-reservations count before reporting without it. */
const SCRAPE_QUERY_TIMEOUT_MS = 2_000;
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const PROCESSOR_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30];
const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const;

/**
 * One registry per application instance rather than prom-client's global one (which
 * a global-registry Prometheus module serves): collectors here read this instance's database and
 * circuits, and two instances in one process (tests, a restart) must not share them.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  return registry;
}

/** Counters and histograms fed as requests and processor calls finish. */
@Injectable()
export class RequestMetrics implements ProcessorCallObserver {
  private readonly requests: Counter<'transport' | 'operation' | 'connector' | 'outcome'>;
  private readonly requestDuration: Histogram<'transport' | 'operation'>;
  private readonly creates: Counter<'connector' | 'result'>;
  private readonly processorDuration: Histogram<'connector' | 'status'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: `${METRIC_PREFIX}requests_total`,
      help: 'Requests by transport, operation, connector (none when the request named none) and outcome (created, replayed, ok, or the error reason)',
      labelNames: ['transport', 'operation', 'connector', 'outcome'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: `${METRIC_PREFIX}request_duration_seconds`,
      help: 'Time from receiving a request to answering it',
      labelNames: ['transport', 'operation'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.creates = new Counter({
      name: `${METRIC_PREFIX}customer_creates_total`,
      help: 'Successful Creates by connector: created (the processor was called and created the customer) or replayed (the stored mapping was returned)',
      labelNames: ['connector', 'result'],
      registers,
    });
    this.processorDuration = new Histogram({
      name: `${METRIC_PREFIX}processor_request_duration_seconds`,
      help: 'Processor calls by connector and HTTP status (timeout, unreachable or invalid_response when there was none)',
      labelNames: ['connector', 'status'],
      buckets: PROCESSOR_BUCKETS,
      registers,
    });
  }

  request(summary: RequestSummary): void {
    const connector = summary.connector ?? 'none';
    this.requests.inc({ transport: summary.transport, operation: summary.operation, connector, outcome: summary.outcome });
    this.requestDuration.observe({ transport: summary.transport, operation: summary.operation }, summary.durationMs / 1000);
    if (summary.outcome === 'created' || summary.outcome === 'replayed') this.creates.inc({ connector, result: summary.outcome });
  }

  processorCall(connector: string, status: string, seconds: number): void {
    this.processorDuration.observe({ connector, status }, seconds);
  }
}

/** What the metrics read of a configuration file the service reloads (ConnectorAccountsService, CallerKeysService). */
interface LoadedFile {
  names(): readonly string[];
  reloadCounts(): Readonly<{ succeeded: number; failed: number }>;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Gauges read at scrape time: pending reservations, circuit breakers, database pool, accounts, caller keys. */
@Injectable()
export class StateMetrics implements OnModuleInit {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly connectors: ConnectorRegistry,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    private readonly policy: CallPolicy,
    private readonly stats: OperationalStatsRepository,
    private readonly accounts: ConnectorAccountsService,
    private readonly callers: CallerKeysService,
  ) {}

  onModuleInit(): void {
    const registers = [this.registry];
    const { connectors, stats, policy, accounts, callers, logger } = this;

    // Read before this scrape's own query joins the pool's queue (pg-pool queues every checkout for a tick).
    if (stats.poolStats() !== undefined) {
      const pool = (name: string, help: string, read: (s: { total: number; idle: number; waiting: number }) => number) =>
        new Gauge({
          name: `${METRIC_PREFIX}db_pool_${name}`,
          help,
          registers,
          collect() {
            const current = stats.poolStats();
            if (current) this.set(read(current));
          },
        });
      pool('total_connections', 'PostgreSQL pool: open connections', (s) => s.total);
      pool('idle_connections', 'PostgreSQL pool: connections open and idle', (s) => s.idle);
      pool('waiting_clients', 'PostgreSQL pool: queries waiting for a connection', (s) => s.waiting);
    }

    new Gauge({
      name: `${METRIC_PREFIX}pending_reservations`,
      help: 'Mappings reserved but not yet active, by connector: Creates in flight, or unanswered attempts waiting for a retry or an operator',
      labelNames: ['connector'],
      registers,
      async collect() {
        this.reset();
        try {
          const pending = await withTimeout(stats.pendingReservationsByConnector(), SCRAPE_QUERY_TIMEOUT_MS);
          for (const name of new Set([...connectors.names(), ...pending.keys()])) this.set({ connector: name }, pending.get(name) ?? 0);
        } catch (error) {
          logger.warn({ err: { message: (error as Error).message } }, 'metrics: could not count pending reservations');
        }
      },
    });

    new Gauge({
      name: `${METRIC_PREFIX}pending_operation_steps`,
      help: 'Steps of profile operations (create at several accounts, update or erase everywhere) not yet ended, by connector: waiting (never tried, or running) or retrying (failed at least once, retried with backoff)',
      labelNames: ['connector', 'state'],
      registers,
      async collect() {
        this.reset();
        try {
          const pending = await withTimeout(stats.pendingOperationStepsByConnector(), SCRAPE_QUERY_TIMEOUT_MS);
          for (const name of new Set([...connectors.names(), ...pending.keys()])) {
            const counts = pending.get(name) ?? { pending: 0, retrying: 0 };
            this.set({ connector: name, state: 'waiting' }, counts.pending - counts.retrying);
            this.set({ connector: name, state: 'retrying' }, counts.retrying);
          }
        } catch (error) {
          logger.warn({ err: { message: (error as Error).message } }, 'metrics: could not count pending operation steps');
        }
      },
    });

    new Gauge({
      name: `${METRIC_PREFIX}circuit_breaker_state`,
      help: 'Circuit breakers of the processor endpoints called so far, by connector: how many are closed, open or half_open (endpoints are not named: a base_url may be internal)',
      labelNames: ['connector', 'state'],
      registers,
      collect() {
        this.reset();
        for (const circuit of policy.circuitStates()) {
          for (const state of CIRCUIT_STATES) this.inc({ connector: circuit.connector, state }, circuit.state === state ? 1 : 0);
        }
      },
    });
    // The operator's files reloaded at run time: how many entries each holds, and its reloads by result.
    const loadedFile = (name: string, source: LoadedFile, help: { loaded: string; reloads: string }) => {
      new Gauge({
        name: `${METRIC_PREFIX}${name}`,
        help: help.loaded,
        registers,
        collect() {
          this.set(source.names().length);
        },
      });
      new Counter({
        name: `${METRIC_PREFIX}${name}_reloads_total`,
        help: help.reloads,
        labelNames: ['result'],
        registers,
        collect() {
          const counts = source.reloadCounts();
          this.reset();
          this.inc({ result: 'success' }, counts.succeeded);
          this.inc({ result: 'failure' }, counts.failed);
        },
      });
    };
    loadedFile('connector_accounts', accounts, {
      loaded: 'Named connector accounts loaded from CONNECTOR_ACCOUNTS_FILE',
      reloads: 'Reloads of CONNECTOR_ACCOUNTS_FILE (SIGHUP) by result; a failed reload keeps the accounts loaded before',
    });
    loadedFile('caller_keys', callers, {
      loaded: 'Callers loaded from CALLER_KEYS_FILE',
      reloads: 'Reloads of CALLER_KEYS_FILE (file changed, or SIGHUP) by result; a failed reload keeps the callers loaded before',
    });
  }
}
