import './runtime-check';
import 'reflect-metadata';
import { startConnectorService } from './bootstrap';

async function main(): Promise<void> {
  const service = await startConnectorService();
  // Reloads the connector accounts and caller keys files; requests in flight keep what they started with.
  process.on('SIGHUP', () => {
    void service.reloadConnectorAccounts();
    void service.reloadCallerKeys();
  });
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
