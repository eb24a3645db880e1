import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a caller's id may look like: anything else (too long, control characters) is replaced, not echoed. */
const ACCEPTABLE_ID = /^[\w.:/+=-]{1,128}$/;

/**
 * The request's id: the caller's `x-request-id` when it is acceptable, otherwise a new UUID. Fastify asks for
 * it before anything else runs, so that logs, error bodies and the response header agree even for requests
 * that never reach a route (a body too large, a path that does not exist). It is also kept on the raw
 * request, where the request log (pino-http, which sees only Node's objects) reads it.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
  (request as IncomingMessage & { id: string }).id = id;
  return id;
}
