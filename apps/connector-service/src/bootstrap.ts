import { isUtf8 } from 'node:buffer';
import type { Server as HttpServer } from 'node:http';
import { json } from 'express';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { requestContextMiddleware, requestIdMiddleware } from '@app/common/context/request-context.middleware';
import { AllExceptionsFilter } from '@app/common/errors/all-exceptions.filter';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { createNestLogger } from '@app/common/logging/nest-logger';
import { DomainError } from '@app/common/errors/domain-error';
import { findDuplicateJsonKey } from '@app/common/validation/json-duplicate-keys';
import { RequestValidationPipe } from '@app/common/validation/validation';
import { ConnectorAccountsService, type ReloadOutcome } from '@app/connectors/accounts/connector-accounts.service';
import { AppModule } from './app.module';
import { PrototypeStableExpressAdapter } from './express-adapter';
import type { CoreModuleOptions } from './core.module';
import { grpcOptions, type GrpcServerHandle } from './grpc-options';
import { DatabaseHealthService } from './health/database-health.service';
import { observeGrpcCalls } from './observability/grpc-request-logging';
import { httpRequestTelemetry } from './observability/http-request-logging';
import { RequestMetrics } from './observability/metrics';
import { serveOpenApi } from './openapi';

export interface RunningService {
  app: INestApplication;
  config: AppConfig;
  logger: AppLogger;
  /** `http://host:port` actually bound (HTTP_PORT=0 picks a free port). */
  httpUrl: string;
  grpcAddress: string;
  /** Re-reads CONNECTOR_ACCOUNTS_FILE (what SIGHUP does); a bad file keeps the accounts loaded before. */
  reloadConnectorAccounts(): Promise<ReloadOutcome>;
  /** Stops accepting, reports NOT_SERVING, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
}

/**
 * Builds and starts the one process serving REST and gRPC. Hooks (migrations, database
 * connection, scope secret) run in `init()` before either transport accepts a request.
 */
export async function startConnectorService(options: CoreModuleOptions = {}): Promise<RunningService> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), new PrototypeStableExpressAdapter(), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  const config = app.get<AppConfig>(APP_CONFIG);
  const logger = app.get<AppLogger>(APP_LOGGER);
  const metrics = app.get(RequestMetrics);
  app.useLogger(createNestLogger(logger));
  app.disable('x-powered-by');
  // Every answer is computed per request; hashing it for ETag cost ~0.1 ms and never saves a byte.
  app.set('etag', false);
  app.use(requestIdMiddleware);
  app.use(httpRequestTelemetry(logger, metrics));
  app.use(json({ limit: config.maxRequestBytes, strict: true, verify: refuseInvalidUtf8 }));
  app.use(requestContextMiddleware);
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  app.useGlobalPipes(new RequestValidationPipe());
  // Swagger's routes go on Express directly: before init(), which appends Nest's not-found handler.
  serveOpenApi(app);

  await app.init();
  const grpcServer: GrpcServerHandle = {};
  const observe = (server: Parameters<typeof observeGrpcCalls>[0]) => observeGrpcCalls(server, logger, metrics);
  app.connectMicroservice<MicroserviceOptions>(grpcOptions(config, grpcServer, observe), { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(config.httpPort, config.host);

  const httpUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const grpcAddress = `${config.host}:${config.grpcPort}`;
  logger.info({ http: httpUrl, grpc: grpcAddress, database: config.databaseProvider }, 'connector-service listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      app.get(DatabaseHealthService).markShuttingDown();
      await drain(app.getHttpServer(), grpcServer, config.shutdownGraceMs);
      await app.close();
      logger.flush();
    })();
    return closing;
  };
  const accounts = app.get(ConnectorAccountsService);
  const reloadConnectorAccounts = () => accounts.reload();
  return { app, config, logger, httpUrl, grpcAddress, reloadConnectorAccounts, close };
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
