import { isUtf8 } from 'node:buffer';
import type { Server as HttpServer } from 'node:http';
import { json, urlencoded } from 'express';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { requestContextMiddleware, requestIdMiddleware } from '@app/common/context/request-context.middleware';
import { AllExceptionsFilter } from '@app/common/errors/all-exceptions.filter';
import { APP_LOGGER, flushAppLogger, type AppLogger } from '@app/common/logging/logger';
import { createNestLogger } from '@app/common/logging/nest-logger';
import { DomainError } from '@app/common/errors/domain-error';
import { findDuplicateJsonKey } from '@app/common/validation/json-duplicate-keys';
import { RequestValidationPipe } from '@app/common/validation/validation';
import { ConnectorAccountsService, type ReloadOutcome } from '@app/connectors/accounts/connector-accounts.service';
import { CallerKeysService, type CallerKeysReloadOutcome } from '@app/customer/callers/caller-keys.service';
import { AppModule } from './app.module';
import { PrototypeStableExpressAdapter } from './express-adapter';
import type { CoreModuleOptions } from './core.module';
import { grpcOptions, hostForUrl, routeGrpcLogs, type GrpcServerHandle } from './grpc-options';
import { httpServerSetup, type HttpServerSetup } from './listeners';
import { DatabaseHealthService } from './health/database-health.service';
import { observeGrpcCalls } from './observability/grpc-request-logging';
import { httpRequestTelemetry } from './observability/http-request-logging';
import { METRICS_REGISTRY, RequestMetrics } from './observability/metrics';
import { startMetricsServer } from './observability/metrics-server';
import { serveOpenApi } from './openapi';

export interface RunningService {
  app: INestApplication;
  config: AppConfig;
  logger: AppLogger;
  /** `http://host:port` actually bound (HTTP_PORT=0 picks a free port). */
  httpUrl: string;
  grpcAddress: string;
  /** `http://host:port` of the metrics listener (METRICS_PORT=0 picks a free port). */
  metricsUrl: string;
  /** Re-reads CONNECTOR_ACCOUNTS_FILE (what SIGHUP does); a bad file keeps the accounts loaded before. */
  reloadConnectorAccounts(): Promise<ReloadOutcome>;
  /** Re-reads CALLER_KEYS_FILE (what SIGHUP does, and a change of the file); a bad file keeps the callers loaded before. */
  reloadCallerKeys(): Promise<CallerKeysReloadOutcome>;
  /** Stops accepting, reports NOT_SERVING, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
}

/**
 * Builds and starts the one process serving REST and gRPC. Hooks (migrations, database
 * connection, scope secret) run in `init()` before either transport accepts a request.
 */
export async function startConnectorService(options: CoreModuleOptions = {}): Promise<RunningService> {
  const adapter = new PrototypeStableExpressAdapter();
  let listenerSetup: HttpServerSetup | undefined;
  const onConfig = (validated: AppConfig) => {
    listenerSetup = httpServerSetup(validated);
    adapter.configure(listenerSetup);
  };
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ ...options, onConfig }), adapter, {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  const config = app.get<AppConfig>(APP_CONFIG);
  const logger = app.get<AppLogger>(APP_LOGGER);
  const metrics = app.get(RequestMetrics);
  app.useLogger(createNestLogger(logger));
  routeGrpcLogs(logger);
  app.disable('x-powered-by');
  // Every answer is computed per request; hashing it for ETag cost ~0.1 ms and never saves a byte.
  app.set('etag', false);
  app.use(requestIdMiddleware);
  app.use(httpRequestTelemetry(logger, metrics));
  app.use(json({ limit: config.maxRequestBytes, strict: true, verify: refuseInvalidUtf8 }));
  // The admin page's sign-in form, and nothing else, posts a form.
  app.use('/admin/login', urlencoded({ extended: false, limit: 4096, parameterLimit: 4 }));
  app.use(requestContextMiddleware);
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  app.useGlobalPipes(new RequestValidationPipe());
  // Swagger's routes go on Express directly: before init(), which appends Nest's not-found handler.
  serveOpenApi(app);

  await app.init();
  const grpcServer: GrpcServerHandle = {};
  const observe = (server: Parameters<typeof observeGrpcCalls>[0]) => observeGrpcCalls(server, logger, metrics);
  app.connectMicroservice<MicroserviceOptions>(grpcOptions(config, grpcServer, observe, listenerSetup?.tls), { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(config.httpPort, config.host);
  const metricsServer = await startMetricsServer(app.get(METRICS_REGISTRY), config.metricsHost, config.metricsPort, logger);

  // Nest's getUrl() knows TLS only from its own httpsOptions: the server here is made by the adapter.
  const httpUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace(/^http:/, config.tls ? 'https:' : 'http:');
  const grpcAddress = `${hostForUrl(config.host)}:${config.grpcPort}`;
  const callerKeys = app.get(CallerKeysService);
  warnOfOpenDoors(logger, config, callerKeys.configured);
  logger.info(
    {
      http: httpUrl,
      grpc: grpcAddress,
      metrics: `${metricsServer.url}/metrics`,
      tls: config.tls ? (config.tls.clientCaFile ? 'mtls' : 'tls') : 'off',
      callers: callerKeys.configured ? 'caller keys' : 'unauthenticated',
      database: config.databaseProvider,
    },
    'connector-service listening',
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      app.get(DatabaseHealthService).markShuttingDown();
      await drain(app.getHttpServer(), grpcServer, config.shutdownGraceMs);
      await metricsServer.close();
      await app.close();
      await flushAppLogger(logger);
    })();
    return closing;
  };
  const accounts = app.get(ConnectorAccountsService);
  const reloadConnectorAccounts = () => accounts.reload();
  const reloadCallerKeys = () => callerKeys.reload();
  return { app, config, logger, httpUrl, grpcAddress, metricsUrl: metricsServer.url, reloadConnectorAccounts, reloadCallerKeys, close };
}

/**
 * Unauthenticated callers are the operator's explicit choice (ALLOW_UNAUTHENTICATED_CALLERS) on a
 * non-loopback address, said at every start; on loopback, said once too, more quietly.
 */
function warnOfOpenDoors(logger: AppLogger, config: AppConfig, callerKeys: boolean): void {
  if (callerKeys) return;
  if (config.allowUnauthenticatedCallers) {
    logger.warn(
      { host: config.host, allow_unauthenticated_callers: true },
      'callers are not authenticated (ALLOW_UNAUTHENTICATED_CALLERS=true): anyone who reaches the ports can create customers with any named account and read every tenant through the customer API; set CALLER_KEYS_FILE to identify callers',
    );
  } else {
    logger.info({ host: config.host }, 'callers are not authenticated (no CALLER_KEYS_FILE): serving this machine only');
  }
}

/**
 * body-parser would decode invalid UTF-8 into U+FFFD and carry on, and JSON.parse keeps the last
 * of two equal keys; a payment request must be read one way only, as gRPC reads it.
 */
function refuseInvalidUtf8(_request: unknown, _response: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('request body is not valid UTF-8'), { status: 400, type: 'encoding.invalid' });
  const duplicate = findDuplicateJsonKey(body.toString('utf8'));
  if (duplicate) throw DomainError.invalidDataFormat(duplicate, 'is given more than once in the JSON body: a key must appear once');
}

/**
 * Stops both listeners and waits for in-flight requests, at most `graceMs`; what is still open
 * then is cut. Runs before the database closes, so requests finish against a live database.
 */
async function drain(http: HttpServer, grpc: GrpcServerHandle, graceMs: number): Promise<void> {
  const httpDrained = new Promise<void>((resolve) => http.close(() => resolve()));
  // close() only drops connections idle right now; keep-alive ones freed later would hold the
  // drain until their timeout, so they are dropped as they become idle.
  const idleSweep = setInterval(() => http.closeIdleConnections(), 25);
  http.closeIdleConnections();
  const grpcDrained = new Promise<void>((resolve) => (grpc.server ? grpc.server.tryShutdown(() => resolve()) : resolve()));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
  const outcome = await Promise.race([Promise.all([httpDrained, grpcDrained]), deadline]);
  clearTimeout(timer);
  clearInterval(idleSweep);
  if (outcome === 'timeout') {
    http.closeAllConnections();
    grpc.server?.forceShutdown();
  }
}
