import pino, { type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';
import { currentRequestContext } from '../context/request-context';
import { scrubText } from './redaction';

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

/**
 * JSON logger whose every line carries the request id (from the async request context) and is
 * scrubbed, as serialized text, of the request's sensitive values and of credential/PII patterns
 * — so a secret logged by mistake through any field or message still never leaves the process.
 */
export function createAppLogger(options: LoggerOptions): AppLogger {
  const usePretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  const destination = usePretty ? prettyStream(options.destination) : (options.destination ?? pino.destination({ dest: 1, sync: false }));
  return pino(
    {
      level: options.level,
      base: { service: 'connector-service' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const context = currentRequestContext();
        if (!context) return {};
        return {
          request_id: context.requestId,
          transport: context.transport,
          ...(context.tenantId && { tenant_id: context.tenantId }),
          ...(context.merchantId && { merchant_id: context.merchantId }),
          ...(context.connector && { connector: context.connector }),
          ...(context.connectorAccount && { connector_account: context.connectorAccount }),
        };
      },
      redact: {
        paths: ['*.authorization', '*.Authorization', '*.api_key', '*.apiKey', '*.password', '*.email', '*.phone', '*.name'],
        censor: '[REDACTED]',
      },
      hooks: {
        streamWrite: (line) => scrubText(line, currentRequestContext()?.sensitiveValues ?? []),
      },
    },
    destination,
  );
}
