import { UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiErrorResponse } from '@customer-pipeline/http-runtime';
import { FaultInjectionInterceptor } from './fault-injection.interceptor';

/** Subjects a controller's routes to the configured failures, latency, rate limit and outage switch. */
export function InjectsFaults(): ClassDecorator {
  return applyDecorators(
    UseInterceptors(FaultInjectionInterceptor),
    ApiErrorResponse(
      429,
      'Over MOCK_RATE_LIMIT requests per second; the Retry-After header says when to retry',
      'Rate limit of 5 requests per second exceeded (MOCK_RATE_LIMIT); retry after 1 s',
    ),
    ApiErrorResponse(
      500,
      'Injected by MOCK_FAILURE_RATE',
      'Injected failure of request 3 (MOCK_FAILURE_RATE)',
    ),
    ApiErrorResponse(
      503,
      'Injected by MOCK_FAILURE_RATE, or the API is down (POST /api/admin/outage)',
      'The mock API is down (POST /api/admin/outage)',
    ),
  );
}
