import Database from 'better-sqlite3';
import type { SqlDriver, SqlParam } from '../sql-driver';

/** Prisma stores SQLite DateTime as ISO-8601 text and booleans as 0/1. */
function sqliteParam(value: SqlParam): string | number | null {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export class SqliteDriver implements SqlDriver {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string, busyTimeoutMs: number) {
    this.db = new Database(file, { timeout: busyTimeoutMs });
    this.db.pragma('synchronous = NORMAL');
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async query<T>(sql: string, params: SqlParam[]): Promise<T[]> {
    return this.statement(sql).all(...params.map(sqliteParam)) as T[];
  }

  async execute(sql: string, params: SqlParam[]): Promise<number> {
    return this.statement(sql).run(...params.map(sqliteParam)).changes;
  }

  async executeAll(statements: readonly [sql: string, params: SqlParam[]][]): Promise<void> {
    // Synchronous from BEGIN to COMMIT: no other statement on this connection can interleave.
    this.db.transaction(() => {
      for (const [sql, params] of statements) this.statement(sql).run(...params.map(sqliteParam));
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
