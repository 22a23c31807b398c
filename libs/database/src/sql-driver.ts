export type SqlParam = string | number | boolean | Date | null;

/** A timestamp column as a driver returns it: SQLite hands back the ISO text Prisma stored; PostgreSQL, a Date. */
export const dateOf = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

/**
 * The database's own driver, for the few statements on the request path: prepared once, sent
 * with parameters, no query compilation. Statements use `?` placeholders and portable SQL;
 * parameters and results are normalised so both databases look alike (Dates as UTC instants,
 * booleans as booleans).
 */
export interface SqlDriver {
  query<T>(sql: string, params: SqlParam[]): Promise<T[]>;
  execute(sql: string, params: SqlParam[]): Promise<number>;
  /** Runs the statements in one transaction: all of them, or none. */
  executeAll(statements: readonly [sql: string, params: SqlParam[]][]): Promise<void>;
  close(): Promise<void>;
}
