import {
  CallHandler,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  InternalServerErrorException,
  NestInterceptor,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Observable, mergeMap, throwError, timer } from 'rxjs';
import { FaultInjector, FaultVerdict } from './fault-injector.service';

function exceptionFor(verdict: Exclude<FaultVerdict, { kind: 'serve' }>): HttpException {
  switch (verdict.kind) {
    case 'outage':
      return new ServiceUnavailableException('The mock API is down (POST /api/admin/outage)');
    case 'rate-limited':
      return new HttpException(
        `Rate limit of ${verdict.limit} requests per second exceeded (MOCK_RATE_LIMIT); retry after ${verdict.retryAfterSeconds} s`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    case 'failure': {
      const message = `Injected failure of request ${verdict.sequence} (MOCK_FAILURE_RATE)`;
      return verdict.status === 500
        ? new InternalServerErrorException(message)
        : new ServiceUnavailableException(message);
    }
  }
}

/**
 * Puts the `FaultInjector`'s verdict into effect on a route: waits `MOCK_LATENCY_MS`, then either lets the
 * handler answer or answers with the injected error. The verdict is taken on arrival, before validation, as a
 * real server in trouble would fail whatever the request. Errors leave through the app's exception filter as
 * the usual `{statusCode, error, message}` JSON.
 */
@Injectable()
export class FaultInjectionInterceptor implements NestInterceptor {
  constructor(private readonly faults: FaultInjector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const verdict = this.faults.judge();
    if (verdict.kind === 'rate-limited') {
      context
        .switchToHttp()
        .getResponse<FastifyReply>()
        .header('Retry-After', String(verdict.retryAfterSeconds));
    }
    const answer = (): Observable<unknown> =>
      verdict.kind === 'serve' ? next.handle() : throwError(() => exceptionFor(verdict));
    return this.faults.latencyMs > 0 ? timer(this.faults.latencyMs).pipe(mergeMap(answer)) : answer();
  }
}
