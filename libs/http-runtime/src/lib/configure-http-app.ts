import { INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { Express, NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { HttpExceptionFilter } from './http-exception.filter';
import { HttpMetrics, METRICS_PATH } from './metrics/http-metrics';
import { OpenApiDocumentOptions, createOpenApiDocument } from './openapi/openapi-document';
import { limitBodyDepth } from './request-guards/body-depth.middleware';
import { RefuseNulBytesPipe } from './request-guards/refuse-nul-bytes.pipe';
import { REQUEST_ID_HEADER, assignRequestId } from './request-id/request-id.middleware';

export interface HttpAppOptions extends OpenApiDocumentOptions {
  /** Largest accepted request body, in body-parser's notation (`100kb`). */
  bodyLimit?: string;
  /** Origins allowed by CORS; none (the default) leaves CORS off. */
  corsOrigins?: readonly string[];
}

export const API_PREFIX = 'api';
export const DOCS_PATH = 'docs';
export const DEFAULT_BODY_LIMIT = '100kb';

/**
 * helmet's defaults everywhere except Swagger UI, whose page needs inline styles and scripts and data: images.
 * Only `/docs` gets that allowance; every API answer keeps the strict policy.
 */
function securityHeaders(): (request: Request, response: Response, next: NextFunction) => void {
  const strict = helmet();
  const docs = helmet({
    contentSecurityPolicy: {
      directives: {
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  const isDocs = (path: string) => path === `/${DOCS_PATH}` || path.startsWith(`/${DOCS_PATH}/`);
  return (request, response, next) => (isDocs(request.path) ? docs : strict)(request, response, next);
}

function setUpSwagger(app: INestApplication, options: HttpAppOptions): void {
  SwaggerModule.setup(DOCS_PATH, app, () => createOpenApiDocument(app, options), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    swaggerOptions: { persistAuthorization: true },
  });
}

/**
 * The HTTP conventions both services share: a request id on every request, HTTP metrics, security headers
 * (on `/metrics` too, and no `X-Powered-By`), a bounded body of bounded depth, CORS only where configured,
 * `/metrics`, `/api` routes, no NUL byte in a path or query value, strict validation, one error shape, and
 * `/docs`. The app's module must import `MetricsModule`.
 */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // Registered before Nest's own body parsers and routes, so they also see requests refused early.
  const metrics = app.get(HttpMetrics);
  express.use(assignRequestId);
  express.use(metrics.middleware);
  express.use(securityHeaders());
  (express.getHttpAdapter().getInstance() as Express).get(METRICS_PATH, metrics.scrape);
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  express.useBodyParser('json', { limit });
  express.useBodyParser('urlencoded', { limit, extended: true });
  express.use(limitBodyDepth());
  if (options.corsOrigins?.length) {
    app.enableCors({ origin: [...options.corsOrigins], exposedHeaders: [REQUEST_ID_HEADER, 'Retry-After'] });
  }

  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(
    new RefuseNulBytesPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  app.useGlobalFilters(new HttpExceptionFilter());
  setUpSwagger(app, options);
}

/**
 * Writes the OpenAPI document of an app that `configureHttpApp` has not set up (a preview-mode app, which
 * builds its controllers' metadata without any provider, so no database), under the same `/api` prefix, to
 * `file`: what `npm run lint` checks with Spectral.
 */
export function writeOpenApiDocument(
  app: INestApplication,
  options: OpenApiDocumentOptions,
  file: string,
): void {
  app.setGlobalPrefix(API_PREFIX);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(createOpenApiDocument(app, options), null, 2)}\n`);
}
