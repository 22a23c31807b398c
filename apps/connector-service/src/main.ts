import './runtime-check';
import 'reflect-metadata';
import { startConnectorService } from './bootstrap';

async function main(): Promise<void> {
  const service = await startConnectorService();
  // Reloads the connector accounts file; requests in flight keep the accounts they started with.
  process.on('SIGHUP', () => void service.reloadConnectorAccounts());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      service.logger.info({ signal }, 'shutting down');
      service.close().then(
        () => process.exit(0),
        (error: unknown) => {
          service.logger.error({ err: { message: (error as Error).message } }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  // Boot failures (bad environment, unreachable database) end here: one clear line, exit 1.
  process.stderr.write(`connector-service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
