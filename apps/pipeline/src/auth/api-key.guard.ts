import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PipelineConfig } from '../config/pipeline.config';
import { ACCESS_LEVEL, AccessLevel } from './access.decorator';

/** Hashing first gives both sides one length, so the comparison time says nothing about the key. */
function sameKey(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function bearerToken(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match ? match[1] : null;
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Record<Exclude<AccessLevel, 'public'>, string | undefined>;

  constructor(
    private readonly reflector: Reflector,
    config: ConfigService<PipelineConfig, true>,
  ) {
    this.keys = {
      write: config.get('INGEST_API_KEY', { infer: true }),
      read: config.get('READ_API_KEY', { infer: true }),
    };
  }

  canActivate(context: ExecutionContext): boolean {
    const level =
      this.reflector.getAllAndOverride<AccessLevel>(ACCESS_LEVEL, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'read';
    if (level === 'public') return true;
    const http = context.switchToHttp();
    const expected = this.keys[level];
    if (expected === undefined) return true;
    const token = bearerToken(http.getRequest<FastifyRequest>());
    if (token !== null && sameKey(token, expected)) return true;
    http.getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer');
    throw new UnauthorizedException(
      token === null ? 'missing API key: send Authorization: Bearer <key>' : 'invalid API key',
    );
  }
}
