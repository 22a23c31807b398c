import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Environment } from '@app/common/config/app-config';
import { freePort } from './free-port';
import { GrpcTestClient } from './grpc-test-client';
import { recordObserved } from './leak-audit';
import { TEST_ADMIN_TOKEN } from './test-app';

export const BUILT_MAIN = path.join(__dirname, '../../dist/apps/connector-service/src/main.js');

export interface AppProcess {
  child: ChildProcess;
  httpUrl: string;
  grpcAddress: string;
  metricsUrl: string;
  grpc: GrpcTestClient;
  /** Every stdout line (JSON logs) and stderr line so far. */
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

/**
 * The built service (`npm run build`) as its own process, as it runs in production: for tests
 * that kill it, signal it, or run several instances on one database.
 */
export async function spawnApp(env: Environment): Promise<AppProcess> {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const [httpPort, grpcPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(process.execPath, [BUILT_MAIN], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      GRPC_PORT: String(grpcPort),
      METRICS_PORT: String(metricsPort),
      ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      recordObserved('log', [...stdout, ...stderr].join('\n'));
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  const listening = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout.push(line);
      if (line.includes('"connector-service listening"')) resolve();
    });
    createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
    void exited.then((code) => reject(new Error(`the service exited (${code}) before listening: ${stderr.join('\n')}`)));
  });
  await listening;
  const grpcAddress = `127.0.0.1:${grpcPort}`;
  const grpc = new GrpcTestClient(grpcAddress);
  return {
    child,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    grpcAddress,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    grpc,
    stdout,
    stderr,
    exited,
    kill: (signal) => {
      grpc.close();
      child.kill(signal);
      return exited;
    },
  };
}
