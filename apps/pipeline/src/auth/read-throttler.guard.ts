import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';

const UNTHROTTLED_WHEN = 'unthrottled-when';

/**
 * Leaves a route's requests unthrottled when `isBulkRead` says so: the documented ways of reading the whole
 * table (a cursor walk takes 10,000 requests for a million customers) cost a page-1 read each, and the
 * read pool, not the request count, is what bounds their load on the database.
 */
export const UnthrottledWhen = (isBulkRead: (request: FastifyRequest) => boolean) =>
  SetMetadata(UNTHROTTLED_WHEN, isBulkRead);

/** The throttler of every route, except for the requests a route's `@UnthrottledWhen` exempts. */
@Injectable()
export class ReadThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const isBulkRead = this.reflector.get<((request: FastifyRequest) => boolean) | undefined>(
      UNTHROTTLED_WHEN,
      context.getHandler(),
    );
    if (isBulkRead?.(context.switchToHttp().getRequest<FastifyRequest>())) return true;
    return super.shouldSkip(context);
  }
}
