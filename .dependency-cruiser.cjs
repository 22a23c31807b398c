/**
 * Which code may import which: apps → libs → common, never back up; production code never
 * imports test kits. `npm test` runs `npm run check:dependencies` first (a violation fails it).
 */
const TEST_FILE = '(\\.spec\\.ts|\\.e2e-spec\\.ts|\\.fixture\\.ts)$';
const PRODUCTION_LIBS = '^libs/(common|connectors|customer|database)/src/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle, type-only ones included: split the shared part into its own file.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'libs-not-to-apps',
      comment: 'Libraries serve the apps; they never import them (nor the e2e tests).',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(apps|test)/' },
    },
    {
      name: 'common-stays-at-the-bottom',
      comment: 'libs/common is imported by every lib and imports none of them.',
      severity: 'error',
      from: { path: '^libs/common/src/', pathNot: TEST_FILE },
      to: { path: '^libs/(connectors|customer|database|testing)/' },
    },
    {
      name: 'connectors-know-no-storage-or-use-cases',
      comment: 'Connectors talk to processors; the mapping store and the use cases sit above them.',
      severity: 'error',
      from: { path: '^libs/connectors/src/', pathNot: TEST_FILE },
      to: { path: '^libs/(customer|database)/' },
    },
    {
      name: 'database-knows-no-processors-or-use-cases',
      comment: 'The storage ports and their implementations depend on common only.',
      severity: 'error',
      from: { path: '^libs/database/src/', pathNot: TEST_FILE },
      to: { path: '^libs/(customer|connectors)/' },
    },
    {
      name: 'production-not-to-test-kits',
      comment: 'The processor sandbox, fixtures and spec helpers are for tests (and the sandbox app) only.',
      severity: 'error',
      from: { path: `${PRODUCTION_LIBS}|^apps/connector-service/`, pathNot: TEST_FILE },
      to: { path: `^libs/testing/|^test/|${TEST_FILE}` },
    },
    {
      name: 'testing-kits-not-to-apps',
      comment: 'Test kits may use the libraries, never the deployables.',
      severity: 'error',
      from: { path: '^libs/testing/' },
      to: { path: '^apps/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|generated)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
  },
};
