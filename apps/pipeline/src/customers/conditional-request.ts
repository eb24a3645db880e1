import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Stored customers change only when a run commits, and every such commit moves the data version: an
 * answer's tag is that version and the request's URL, so it stays valid exactly until data changes.
 */
export function entityTag(version: number, request: FastifyRequest): string {
  const url = createHash('sha1').update(request.url).digest('base64url').slice(0, 16);
  return `"${version}-${url}"`;
}

/** Whether the request's If-None-Match names the tag (weak comparison, as RFC 9110 asks for it). */
export function isNotModified(request: FastifyRequest, tag: string): boolean {
  const header = request.headers['if-none-match'];
  if (header === undefined) return false;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
}

/** ETag and Cache-Control of a customers answer; 304 when the client holds it already. */
export function answerConditionally(
  request: FastifyRequest,
  reply: FastifyReply,
  tag: string,
  maxAgeSeconds: number,
): boolean {
  reply.header('ETag', tag);
  reply.header('Cache-Control', `max-age=${maxAgeSeconds}, must-revalidate`);
  if (!isNotModified(request, tag)) return false;
  reply.status(304);
  return true;
}
