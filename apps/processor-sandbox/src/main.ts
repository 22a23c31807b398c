import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { sandboxInstructions } from '@app/testing/sandbox/sandbox-accounts';

/** `npm run sandbox`: simulators on SANDBOX_PORT (default 4010) for local development. */
async function main(): Promise<void> {
  const sandbox = new ProcessorSandbox();
  const url = await sandbox.start(Number(process.env.SANDBOX_PORT ?? 4010), process.env.SANDBOX_HOST ?? '127.0.0.1');
  process.stdout.write(`processor sandbox listening on ${url} (simulators: ${Object.keys(sandbox.simulators).join(', ')})\n`);
  process.stdout.write(`${sandboxInstructions(url)}\n`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void sandbox.close().then(() => process.exit(0)));
}

void main();
