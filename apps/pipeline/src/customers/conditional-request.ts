import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/**
 * Stored customers change only when a run commits, and every such commit moves the data version: an
 * answer's tag is that version and the request's URL, so it stays valid exactly until data changes.
 */
export function entityTag(version: number, request: Request): string {
  const url = createHash('sha1').update(request.originalUrl).digest('base64url').slice(0, 16);
  return `"${version}-${url}"`;
}

/** Whether the request's If-None-Match names the tag (weak comparison, as RFC 9110 asks for it). */
export function isNotModified(request: Request, tag: string): boolean {
  const header = request.headers['if-none-match'];
  if (header === undefined) return false;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
}

/** ETag and Cache-Control of a customers answer; 304 when the client holds it already. */
export function answerConditionally(
  request: Request,
  response: Response,
  tag: string,
  maxAgeSeconds: number,
): boolean {
  response.setHeader('ETag', tag);
  response.setHeader('Cache-Control', `max-age=${maxAgeSeconds}, must-revalidate`);
  if (!isNotModified(request, tag)) return false;
  response.status(304);
  return true;
}
