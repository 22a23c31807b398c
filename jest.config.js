/** Unit tests live next to the code (*.spec.ts); e2e tests start the real app (test/*.e2e-spec.ts). */
const moduleNameMapper = {
  '^@app/(common|connectors|customer|database|testing)(|/.*)$': '<rootDir>/libs/$1/src$2',
};
const transform = { '^.+\\.ts$': ['@swc/jest'] };
const shared = { rootDir: __dirname, moduleFileExtensions: ['ts', 'js', 'json'], transform, moduleNameMapper, testEnvironment: 'node' };

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], slowTestThreshold: 30, setupFilesAfterEnv: ['<rootDir>/test/support/jest-e2e.setup.ts'], globalTeardown: '<rootDir>/test/support/e2e-global-teardown.ts' },
  ],
};
