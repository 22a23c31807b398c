#!/usr/bin/env bash
# `npm test`: type-check, unit tests, then end-to-end tests on SQLite and on a throwaway
# PostgreSQL server started here (installed from Debian's package if absent); the admin page
# test drives Debian's chromium (installed if absent).
set -euo pipefail
cd "$(dirname "$0")/.."

pg_dir=$(mktemp -d -t connector-service-pg.XXXXXX)
pg_port=${TEST_POSTGRES_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
cleanup() { bash scripts/postgres-test-server.sh stop "$pg_dir" || true; rm -rf "$pg_dir" "${RELIABILITY_REPORT_DIR:-}"; }
trap cleanup EXIT

echo "== type-check"
npx tsc --noEmit -p tsconfig.json

echo "== dependency rules (apps → libs → common, never back up; no cycles; no test kits in production code)"
npm run --silent check:dependencies

echo "== unit tests"
npx jest --config jest.config.js --selectProjects unit "$@"

echo "== build (end-to-end tests start the built service as a process)"
npm run build

echo "== Chromium for the admin page test (Debian's package, installed if absent)"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
  "${apt_get[@]}" update -qq && DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq chromium
fi

echo "== PostgreSQL for the end-to-end tests"
TEST_POSTGRES_URL=$(bash scripts/postgres-test-server.sh start "$pg_dir" "$pg_port")
export TEST_POSTGRES_URL

echo "== end-to-end tests (SQLite and PostgreSQL), then docs/reliability.md and the secret audit"
RELIABILITY_REPORT_DIR=$(mktemp -d -t connector-service-reliability.XXXXXX)
export RELIABILITY_REPORT_DIR
npx jest --config jest.config.js --selectProjects e2e "$@"
