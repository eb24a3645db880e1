import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrorResponse } from '@customer-pipeline/http-runtime';
import { INGEST_KEY_SCHEME } from './api-key-schemes';

/** Documents a write route: the key it needs when INGEST_API_KEY is set. Write routes are not throttled. */
export const ApiWriteAccess = () =>
  applyDecorators(
    ApiBearerAuth(INGEST_KEY_SCHEME),
    ApiErrorResponse(
      401,
      'INGEST_API_KEY is set and the request does not carry it',
      'missing API key: send Authorization: Bearer <key>',
    ),
  );
