import { createHash } from 'node:crypto';
import { types, type Pool, type PoolClient, type QueryResult } from 'pg';
import type { SqlDriver, SqlParam } from '../sql-driver';

/**
 * `timestamp(3)` columns hold UTC wall time (as Prisma writes them); node-postgres would read them
 * as local time.
 */
const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;
const utcTimestamps = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_WITHOUT_TIME_ZONE ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`) : types.getTypeParser(oid, format),
};

/** A statement as node-postgres sends it: `$n` placeholders, a name, our timestamp parsing. */
interface PreparedStatement {
  text: string;
  name: string;
  types: typeof utcTimestamps;
}

export class PostgresDriver implements SqlDriver {
  private readonly prepared = new Map<string, PreparedStatement>();

  constructor(private readonly pool: Pool) {}

  /** `?` → `$n`, and a name so each connection prepares the statement once. */
  private statement(sql: string): PreparedStatement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      let index = 0;
      statement = { text: sql.replace(/\?/g, () => `$${++index}`), name: `cs_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`, types: utcTimestamps };
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  private send(client: Pool | PoolClient, sql: string, params: SqlParam[]): Promise<QueryResult> {
    const { text, name, types } = this.statement(sql);
    // An ISO string is stored as the UTC wall time it names, which is what Prisma stores.
    const values = params.map((value) => (value instanceof Date ? value.toISOString() : value));
    return client.query({ text, name, types, values });
  }

  async query<T>(sql: string, params: SqlParam[]): Promise<T[]> {
    return (await this.send(this.pool, sql, params)).rows as T[];
  }

  async execute(sql: string, params: SqlParam[]): Promise<number> {
    return (await this.send(this.pool, sql, params)).rowCount ?? 0;
  }

  async executeAll(statements: readonly [sql: string, params: SqlParam[]][]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const [sql, params] of statements) await this.send(client, sql, params);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    // The pool is shared with Prisma: PostgresConnection ends it.
  }
}
