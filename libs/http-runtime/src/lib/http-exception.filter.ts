import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  /** Further machine-readable facts an exception chose to carry, such as the `run_id` of a 409. */
  [detail: string]: unknown;
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
 * Every error leaves as `{statusCode, error, message}`. Anything that is not an HttpException is a bug or
 * an outage: it is logged with its stack and answered as a bare 500, so that no SQL, driver message or
 * record content reaches the caller.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const body = bodyOf(exception);
      response.status(body.statusCode).json(body);
      return;
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const statusCode = HttpStatus.INTERNAL_SERVER_ERROR;
    response
      .status(statusCode)
      .json({ statusCode, error: STATUS_CODES[statusCode], message: 'Internal server error' });
  }
}
