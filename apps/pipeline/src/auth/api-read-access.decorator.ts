import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@customer-pipeline/contracts';

/** Documents a read route (or every route of a read controller): the key it may need, and its throttle. */
export const ApiReadAccess = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'READ_API_KEY is set and was not sent' }),
    ApiTooManyRequestsResponse({
      type: ErrorResponseDto,
      description: 'More than THROTTLE_LIMIT requests in THROTTLE_TTL_MS; Retry-After says when to retry',
    }),
  );
