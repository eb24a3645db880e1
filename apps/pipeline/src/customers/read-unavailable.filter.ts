import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  ServiceUnavailableException,
  applyDecorators,
} from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@customer-pipeline/contracts';
import { ReadUnavailableError, ReadUnavailableReason } from '@customer-pipeline/data-access';
import { HttpExceptionFilter, errorResponseExample } from '@customer-pipeline/http-runtime';
import type { Response } from 'express';

/** Seconds to wait before retrying: a busy pool frees up at once, a server coming back takes longer. */
const RETRY_AFTER_SECONDS: Record<ReadUnavailableReason, number> = { busy: 1, timeout: 2, unreachable: 5 };

/**
 * A read the database cannot serve now answers 503 with Retry-After and says why, never 500; the body is
 * the usual error shape. A filter rather than an interceptor: it costs nothing on the requests that succeed.
 */
@Catch(ReadUnavailableError)
export class ReadUnavailableFilter implements ExceptionFilter {
  private readonly errors = new HttpExceptionFilter();

  catch(error: ReadUnavailableError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .setHeader('Retry-After', String(RETRY_AFTER_SECONDS[error.reason]));
    this.errors.catch(new ServiceUnavailableException(error.message), host);
  }
}

export const ApiReadUnavailableResponse = () =>
  applyDecorators(
    ApiResponse({
      status: 503,
      type: ErrorResponseDto,
      example: errorResponseExample(503, 'every database connection is busy; retry shortly'),
      description:
        'The database cannot serve the read now: every read connection or search slot is taken, the ' +
        'statement ran past READ_STATEMENT_TIMEOUT_MS, or the server is unreachable',
      headers: {
        'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
      },
    }),
  );
