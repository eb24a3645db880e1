import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a caller's id may look like: anything else (too long, control characters) is replaced, not echoed. */
const ACCEPTABLE_ID = /^[\w.:/+=-]{1,128}$/;

/** The caller's `x-request-id` when it is acceptable, otherwise a new UUID. */
export function requestIdOf(request: Request): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}

/**
 * Gives every request its id before anything else runs, so that logs, error bodies and the response header
 * agree even for requests that never reach a route (a body too large, a path that does not exist).
 */
export function assignRequestId(request: Request, response: Response, next: NextFunction): void {
  request.id = requestIdOf(request);
  response.setHeader(REQUEST_ID_HEADER, request.id);
  next();
}
