import { UseInterceptors, applyDecorators } from '@nestjs/common';
import {
  ApiInternalServerErrorResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '@customer-pipeline/contracts';
import { FaultInjectionInterceptor } from './fault-injection.interceptor';

/** Subjects a controller's routes to the configured failures, latency, rate limit and outage switch. */
export function InjectsFaults(): ClassDecorator {
  return applyDecorators(
    UseInterceptors(FaultInjectionInterceptor),
    ApiTooManyRequestsResponse({
      type: ErrorResponseDto,
      description: 'Over MOCK_RATE_LIMIT requests per second; the Retry-After header says when to retry',
    }),
    ApiInternalServerErrorResponse({ type: ErrorResponseDto, description: 'Injected by MOCK_FAILURE_RATE' }),
    ApiServiceUnavailableResponse({
      type: ErrorResponseDto,
      description: 'Injected by MOCK_FAILURE_RATE, or the API is down (POST /api/admin/outage)',
    }),
  );
}
