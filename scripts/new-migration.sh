#!/usr/bin/env bash
# Writes the migration SQL for both providers from the change to prisma/models since the last
# commit: `npm run db:migration -- add_something`. Offline (Prisma's bundled WASM engine, no
# database). The app applies migrations itself at start; the drift test keeps them honest.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: npm run db:migration -- <snake_case_name>}
stamp=$(date -u +%Y%m%d%H%M%S)
before=$(mktemp -d)
trap 'rm -rf "$before"' EXIT

for provider in sqlite postgres; do
  mkdir -p "$before/$provider/models"
  cp "prisma/$provider/schema.prisma" "$before/$provider/"
  for file in $(git ls-tree --name-only HEAD prisma/models/); do
    git show "HEAD:$file" > "$before/$provider/models/$(basename "$file")"
  done
  sql=$(node node_modules/prisma/build/index.js migrate diff --from-schema-datamodel "$before/$provider" --to-schema-datamodel "prisma/$provider" --script 2>/dev/null)
  if [ -z "$(echo "$sql" | grep -v '^--' | grep -v '^\s*$' || true)" ]; then
    echo "$provider: prisma/models has no change since HEAD" >&2
    continue
  fi
  mkdir -p "prisma/$provider/migrations/${stamp}_$name"
  echo "$sql" > "prisma/$provider/migrations/${stamp}_$name/migration.sql"
  echo "wrote prisma/$provider/migrations/${stamp}_$name/migration.sql"
done
