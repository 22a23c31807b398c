import { Prisma } from './generated/postgres/client';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';

/** Prisma's code for a unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === 'P2002';
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
