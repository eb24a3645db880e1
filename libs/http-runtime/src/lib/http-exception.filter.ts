import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loggableError } from './logging/loggable-error';
import { pathOf } from './routing/url-path';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  /** The id of the request, as in its `x-request-id` header and its log lines. */
  request_id?: string;
  /** Further machine-readable facts an exception chose to carry, such as the `run_id` of a 409. */
  [detail: string]: unknown;
}

/**
 * Fastify refuses some requests before any route runs (a body too large, malformed JSON, a media type no
 * parser takes) with errors that carry their 4xx `statusCode` and a message meant for the client.
 */
interface ClientRequestError extends Error {
  statusCode: number;
}

function isClientRequestError(exception: unknown): exception is ClientRequestError {
  const statusCode = (exception as Partial<ClientRequestError> | null)?.statusCode;
  return (
    exception instanceof Error && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500
  );
}

function asHttpException(exception: ClientRequestError): HttpException {
  return new HttpException(exception.message, exception.statusCode);
}

/**
 * Nest answers a request that matched no route `Cannot GET <url>`, query string included: user input,
 * possibly personal data (`?email=...`), echoed back and logged. The path alone says what was not found.
 */
function withoutQueryString(body: ErrorBody, request: FastifyRequest): ErrorBody {
  const echoed = `Cannot ${request.method} ${request.url}`;
  if (body.statusCode !== HttpStatus.NOT_FOUND || body.message !== echoed) return body;
  return { ...body, message: `Cannot ${request.method} ${pathOf(request.url)}` };
}

function bodyOf(exception: HttpException): ErrorBody {
  const statusCode = exception.getStatus();
  const error = STATUS_CODES[statusCode] ?? 'Error';
  const response = exception.getResponse();
  if (typeof response === 'string') return { statusCode, error, message: response };
  const { message, error: named, statusCode: _status, ...details } = response as Record<string, unknown>;
  return {
    statusCode,
    error: typeof named === 'string' ? named : error,
    message: (message as string | string[] | undefined) ?? exception.message,
    ...details,
  };
}

/**
 * Every error leaves as `{statusCode, error, message, request_id}`. Anything that is not an HttpException is
 * a bug or an outage: it is logged with its stack and answered as a bare 500, so that no SQL, driver message
 * or record content reaches the caller; the request id lets an operator find the logged stack.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const request_id = request.id;
    const known = isClientRequestError(exception) ? asHttpException(exception) : exception;
    if (known instanceof HttpException) {
      const body = withoutQueryString(bodyOf(known), request);
      reply.status(body.statusCode).send({ ...body, request_id });
      return;
    }
    this.logger.error({ error: loggableError(exception), request_id }, 'unexpected error');
    const statusCode = HttpStatus.INTERNAL_SERVER_ERROR;
    reply
      .status(statusCode)
      .send({ statusCode, error: STATUS_CODES[statusCode], message: 'Internal server error', request_id });
  }
}
