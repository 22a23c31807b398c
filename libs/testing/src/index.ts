export * from './capturing-log';
export * from './strict-double';
export { startLocalHttpServer, closedPort, type LocalHttpServer, type LocalHandler } from './local-http-server';
export * from './sandbox/processor-sandbox';
