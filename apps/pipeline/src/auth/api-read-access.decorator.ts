import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrorResponse } from '@customer-pipeline/http-runtime';
import { READ_KEY_SCHEME } from './api-key-schemes';

/**
 * Documents a read route (or every route of a read controller): the key it may need, and its throttle
 * unless it is never throttled (the export).
 */
export const ApiReadAccess = ({ throttled = true }: { throttled?: boolean } = {}) =>
  applyDecorators(
    ApiBearerAuth(READ_KEY_SCHEME),
    ApiErrorResponse(
      401,
      'READ_API_KEY is set and the request does not carry it',
      'missing API key: send Authorization: Bearer <key>',
    ),
    ...(throttled
      ? [
          ApiErrorResponse(
            429,
            'More than THROTTLE_LIMIT requests in THROTTLE_TTL_MS; Retry-After says when to retry',
            'ThrottlerException: Too Many Requests',
          ),
        ]
      : []),
  );
