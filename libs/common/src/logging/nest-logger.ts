import type { LoggerService } from '@nestjs/common';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { AppLogger } from './logger';

/**
 * nestjs-pino's PinoLogger writing to this application's logger. LoggerModule would keep one root
 * logger and one HTTP middleware per process, shared by every application in it (a test starting
 * two apps, each with its own log destination, would get the first one's); so the app builds its
 * own, and writes its request lines itself (see http-request-logging.ts).
 */
class AppPinoLogger extends PinoLogger {
  constructor(private readonly appLogger: AppLogger) {
    super({ pinoHttp: { logger: appLogger } });
  }

  override get logger(): AppLogger {
    return this.appLogger;
  }
}

/** Nest's own log calls (bootstrap, route mapping, terminus) as JSON lines of the app logger, via nestjs-pino. */
export function createNestLogger(logger: AppLogger): LoggerService {
  return new Logger(new AppPinoLogger(logger), {});
}
