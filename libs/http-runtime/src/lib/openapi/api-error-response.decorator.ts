import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@customer-pipeline/contracts';
import { errorResponseExample } from './error-response-example';

/**
 * Documents an error answer of a route: the shared error schema, with an example of this status, this
 * message and these details, so that Swagger UI shows a 401 as a 401 and not as the schema's generic example.
 */
export const ApiErrorResponse = (
  status: number,
  description: string,
  message: string | string[],
  details?: Record<string, unknown>,
) =>
  ApiResponse({
    status,
    description,
    type: ErrorResponseDto,
    example: errorResponseExample(status, message, details),
  });
