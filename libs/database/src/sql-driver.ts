import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { types, type Pool } from 'pg';

export type SqlParam = string | number | boolean | Date | null;

/**
 * The database's own driver, for the few statements on the request path: prepared once, sent
 * with parameters, no query compilation. Statements use `?` placeholders and portable SQL;
 * parameters and results are normalised so both databases look alike (Dates as UTC instants,
 * booleans as booleans).
 */
export interface SqlDriver {
  query<T>(sql: string, params: SqlParam[]): Promise<T[]>;
  execute(sql: string, params: SqlParam[]): Promise<number>;
  close(): Promise<void>;
}

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

  async close(): Promise<void> {
    this.db.close();
  }
}

/**
 * `timestamp(3)` columns hold UTC wall time (as Prisma writes them); node-postgres would read them
 * as local time.
 */
const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;
const utcTimestamps = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_WITHOUT_TIME_ZONE ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`) : types.getTypeParser(oid, format),
};

export class PostgresDriver implements SqlDriver {
  private readonly prepared = new Map<string, { text: string; name: string }>();

  constructor(private readonly pool: Pool) {}

  /** `?` → `$n`, and a name so each connection prepares the statement once. */
  private statement(sql: string): { text: string; name: string } {
    let statement = this.prepared.get(sql);
    if (!statement) {
      let index = 0;
      statement = { text: sql.replace(/\?/g, () => `$${++index}`), name: `cs_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}` };
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  private values(params: SqlParam[]): (string | number | boolean | null)[] {
    // An ISO string is stored as the UTC wall time it names, which is what Prisma stores.
    return params.map((value) => (value instanceof Date ? value.toISOString() : value));
  }

  async query<T>(sql: string, params: SqlParam[]): Promise<T[]> {
    const result = await this.pool.query({ ...this.statement(sql), values: this.values(params), types: utcTimestamps });
    return result.rows as T[];
  }

  async execute(sql: string, params: SqlParam[]): Promise<number> {
    const result = await this.pool.query({ ...this.statement(sql), values: this.values(params), types: utcTimestamps });
    return result.rowCount ?? 0;
  }

  async close(): Promise<void> {
    // The pool is Prisma's too: PrismaService ends it.
  }
}
