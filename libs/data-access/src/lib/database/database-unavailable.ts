import { CapacityExceededError } from '../read/concurrency-limit';

export type DatabaseUnavailableReason = 'busy' | 'timeout' | 'unreachable';

/**
 * A request the database cannot serve now, though it may in a moment: every pool connection is taken, a
 * limit on costly reads is reached, the statement ran past its timeout, or the server cannot be reached.
 * The API answers it with 503 and Retry-After, never 500.
 */
export class DatabaseUnavailableError extends Error {
  constructor(
    readonly reason: DatabaseUnavailableReason,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

/** SQLSTATEs of a server that is shutting down, starting up or unreachable (classes 08 and 57P). */
const UNREACHABLE_CODES = /^(08|57P)/;
const QUERY_CANCELED = '57014';
/** Refusals at connection time: too many connections; a database closed to connections (55000, by message). */
const TOO_MANY_CONNECTIONS = '53300';
const NOT_ACCEPTING_CONNECTIONS = /is not currently accepting connections/;
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/** The DatabaseUnavailableError an error of pg or pg-pool means, or the error itself when it is another kind. */
export function asDatabaseUnavailable(error: unknown): unknown {
  if (error instanceof CapacityExceededError) {
    return new DatabaseUnavailableError('busy', `the database is busy with ${error.kind}; retry shortly`);
  }
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (code === QUERY_CANCELED) {
    return new DatabaseUnavailableError(
      'timeout',
      'the query took too long and was cancelled; retry shortly',
    );
  }
  if (error.message.includes('timeout exceeded when trying to connect') || code === TOO_MANY_CONNECTIONS) {
    return new DatabaseUnavailableError('busy', 'every database connection is busy; retry shortly');
  }
  const unreachable =
    (typeof code === 'string' && (UNREACHABLE_CODES.test(code) || NETWORK_ERRORS.has(code))) ||
    /Connection terminated/.test(error.message) ||
    NOT_ACCEPTING_CONNECTIONS.test(error.message);
  if (unreachable)
    return new DatabaseUnavailableError('unreachable', 'the database cannot be reached; retry shortly');
  return error;
}
