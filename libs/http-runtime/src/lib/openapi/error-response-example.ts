import { STATUS_CODES } from 'node:http';
import type { ErrorBody } from '../http-exception.filter';

/** The request id every documented error example shows, in the shape `requestIdOf` generates. */
const EXAMPLE_REQUEST_ID = '5f0c9a4e-8d3b-4a51-9f1e-2b7c3d4e5f60';

/**
 * An error body as `HttpExceptionFilter` writes it for `statusCode`, for a response's own example;
 * `details` are the further facts the exception carries (the `run_id` of a 409).
 */
export function errorResponseExample(
  statusCode: number,
  message: string | string[],
  details: Record<string, unknown> = {},
): ErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...details,
    request_id: EXAMPLE_REQUEST_ID,
  };
}
