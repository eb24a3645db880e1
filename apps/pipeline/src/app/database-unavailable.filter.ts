import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  ServiceUnavailableException,
  applyDecorators,
} from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@customer-pipeline/contracts';
import {
  DatabaseUnavailableError,
  DatabaseUnavailableReason,
  asDatabaseUnavailable,
} from '@customer-pipeline/data-access';
import { HttpExceptionFilter, errorResponseExample } from '@customer-pipeline/http-runtime';
import type { FastifyReply } from 'fastify';

/** Seconds to wait before retrying: a busy pool frees up at once, a server coming back takes longer. */
const RETRY_AFTER_SECONDS: Record<DatabaseUnavailableReason, number> = {
  busy: 1,
  timeout: 2,
  unreachable: 5,
};

/**
 * Every route that needs the database answers 503 with Retry-After while it cannot be had (unreachable,
 * every connection busy, a read past its statement timeout), saying why in the usual error shape, never a
 * bare 500; anything else goes on to the usual handling. Registered after the app's own filter, so that it is
 * asked first.
 */
@Catch()
export class DatabaseUnavailableFilter implements ExceptionFilter {
  private readonly errors = new HttpExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const unavailable = asDatabaseUnavailable(exception);
    if (!(unavailable instanceof DatabaseUnavailableError)) return this.errors.catch(exception, host);
    host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('Retry-After', String(RETRY_AFTER_SECONDS[unavailable.reason]));
    this.errors.catch(new ServiceUnavailableException(unavailable.message), host);
  }
}

const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
};

/** The 503 of a route that needs the database, for its OpenAPI document. */
export const ApiDatabaseUnavailableResponse = (
  description = 'The database cannot be reached or every connection is busy',
) =>
  applyDecorators(
    ApiResponse({
      status: 503,
      type: ErrorResponseDto,
      example: errorResponseExample(503, 'the database cannot be reached; retry shortly'),
      description,
      headers: RETRY_AFTER_HEADER,
    }),
  );

/** The 503 of a customer read, which also has its own limits. */
export const ApiReadUnavailableResponse = () =>
  ApiDatabaseUnavailableResponse(
    'The database cannot serve the read now: every read connection or search slot is taken, the ' +
      'statement ran past READ_STATEMENT_TIMEOUT_MS, or the server is unreachable',
  );
