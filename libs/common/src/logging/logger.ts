import pino, { type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import type SonicBoom from 'sonic-boom';
import pretty from 'pino-pretty';
import { currentRequestContext, type RequestContext } from '../context/request-context';
import { REDACTED, scrubText } from './redaction';

export type AppLogger = Logger;
export const APP_LOGGER = 'APP_LOGGER';

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Where JSON lines go; stdout when absent. Tests pass a capturing stream. */
  destination?: DestinationStream;
  /** Human-readable lines instead of JSON; by default only when writing to a terminal. */
  pretty?: boolean;
}

/** Colourised one-line-per-entry output for a terminal, fed the already scrubbed JSON line. */
function prettyStream(destination: DestinationStream | undefined): DestinationStream {
  return pretty({
    colorize: destination === undefined,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'service',
    singleLine: true,
    sync: true,
    ...(destination && { destination: destination as NodeJS.WritableStream }),
  });
}

/** A request's scope as log fields (snake_case), each only once known. */
export function scopeLogFields(scope: Pick<RequestContext, 'tenantId' | 'merchantId' | 'connector' | 'connectorAccount' | 'caller'>): Record<string, string> {
  return {
    ...(scope.caller && { caller: scope.caller }),
    ...(scope.tenantId && { tenant_id: scope.tenantId }),
    ...(scope.merchantId && { merchant_id: scope.merchantId }),
    ...(scope.connector && { connector: scope.connector }),
    ...(scope.connectorAccount && { connector_account: scope.connectorAccount }),
  };
}

const CENSORED_FIELDS = new Set(['authorization', 'Authorization', 'api_key', 'apiKey', 'password', 'email', 'phone', 'name']);

/**
 * pino's `redact: { paths: ['*.email', …] }`, by hand: its redactor (@pinojs/redact 0.4, pino 10)
 * parses every path again on every line — a fifth of the service's allocations, which the young
 * generation then collects in pauses of 5–10 ms (bench/PROFILE.md). Copies only what it censors.
 */
function censorNestedFields(object: Record<string, unknown>): Record<string, unknown> {
  let result = object;
  for (const key in object) {
    const value = object[key];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    let censored: Record<string, unknown> | undefined;
    for (const field in value) {
      if (CENSORED_FIELDS.has(field)) (censored ??= { ...(value as Record<string, unknown>) })[field] = REDACTED;
    }
    if (censored) {
      if (result === object) result = { ...object };
      result[key] = censored;
    }
  }
  return result;
}

/** The asynchronous stdout destination of each logger that has one, for flushing at shutdown. */
const asyncDestinations = new WeakMap<AppLogger, SonicBoom>();

/**
 * Resolves once every line handed to an asynchronous destination is written: a write in flight
 * ends with 'drain' when nothing is queued behind it, what is queued then is written
 * synchronously. Bounded by `timeoutMs`, so a blocked stdout cannot hold the shutdown.
 */
export function drainDestination(destination: SonicBoom, timeoutMs = 2_000): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      try {
        destination.flushSync();
      } catch {
        // Destroyed or not open yet: nothing more can be written.
      }
      resolve();
    };
    const timer = setTimeout(finish, timeoutMs);
    // sonic-boom has no public "writing" flag; 'drain' comes only after a write that was in flight.
    if ((destination as unknown as { _writing?: boolean })._writing) destination.once('drain', finish);
    else finish();
  });
}

/** Writes out what the logger still holds (the last lines before process.exit). */
export function flushAppLogger(logger: AppLogger): Promise<void> {
  const destination = asyncDestinations.get(logger);
  if (!destination) {
    logger.flush();
    return Promise.resolve();
  }
  return drainDestination(destination);
}

/**
 * JSON logger whose every line carries the request id (from the async request context) and is
 * scrubbed, as serialized text, of the request's sensitive values and of credential/PII patterns
 * — so a secret logged by mistake through any field or message still never leaves the process.
 */
export function createAppLogger(options: LoggerOptions): AppLogger {
  const usePretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  // stdout is written asynchronously: a line costs no write(2) of its own while one is in flight
  // (bench/PROFILE.md); flushAppLogger writes out the rest at shutdown.
  const stdout = usePretty || options.destination ? undefined : pino.destination({ dest: 1, sync: false });
  const destination = usePretty ? prettyStream(options.destination) : (options.destination ?? stdout!);
  const logger = pino(
    {
      level: options.level,
      base: { service: 'connector-service' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: censorNestedFields },
      mixin() {
        const context = currentRequestContext();
        if (!context) return {};
        return { request_id: context.requestId, transport: context.transport, ...scopeLogFields(context) };
      },
      hooks: {
        streamWrite: (line) => scrubText(line, currentRequestContext()?.sensitiveValues ?? []),
      },
    },
    destination,
  );
  if (stdout) asyncDestinations.set(logger, stdout);
  return logger;
}
