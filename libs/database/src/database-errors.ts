import { Prisma } from './generated/postgres/client';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';

/** A unique-constraint violation, as the database's own driver reports it (SQLite: SQLITE_CONSTRAINT_UNIQUE; PostgreSQL: unique_violation) or Prisma does (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505' || code === 'P2002';
}

/**
 * Anything the database layer throws that is not a known request error (a constraint, a missing
 * row) means the database did not serve us: connection refused or lost, pool exhausted, locked
 * file. Those become UNAVAILABLE so callers retry, never INTERNAL. A failed raw statement (P2010)
 * counts too: our raw SQL is fixed and tested, so its failures at run time are operational.
 */
export function toDatabaseUnavailable(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const code = (error as { code?: unknown })?.code;
  const knownRequestError = error instanceof Error && error.name === Prisma.PrismaClientKnownRequestError.name;
  const connectionCode = typeof code === 'string' && /^P1\d{3}$|^P2024$|^P2010$/.test(code);
  if (knownRequestError && !connectionCode) return error;
  return new DomainError(ErrorReason.DatabaseUnavailable, 'The database is unavailable; retry later', {}, { cause: error });
}

/** Runs a store's statement(s), turning what the database throws into `toDatabaseUnavailable`'s answer. */
export async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toDatabaseUnavailable(error);
  }
}
