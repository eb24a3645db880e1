import { INestApplication, ValidationPipe } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import bytes from 'bytes';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse as parseForm } from 'node:querystring';
import { HttpExceptionFilter } from './http-exception.filter';
import { HttpMetrics, METRICS_PATH } from './metrics/http-metrics';
import { OpenApiDocumentOptions, createOpenApiDocument } from './openapi/openapi-document';
import { assertBodyDepth } from './request-guards/body-depth';
import { RefuseNulBytesPipe } from './request-guards/refuse-nul-bytes.pipe';
import { pathOf } from './routing/url-path';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id/request-id';

export interface HttpAppOptions extends OpenApiDocumentOptions {
  /** Largest accepted request body, in the `bytes` package's notation (`100kb`). */
  bodyLimit?: string;
  /** Origins allowed by CORS; none (the default) leaves CORS off. */
  corsOrigins?: readonly string[];
}

export const API_PREFIX = 'api';
export const DOCS_PATH = 'docs';
export const DEFAULT_BODY_LIMIT = '100kb';

/** Ids are path parameters: a long one gets its answer from the route (400, 404), not from the router. */
const MAX_PARAM_LENGTH = 2048;

/**
 * The HTTP server both services run on: Fastify, on which a by-id read costs the pipeline about half the CPU
 * it did on Express under Nest (docs/benchmarks.md). Every request gets its id before anything else runs.
 */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    genReqId: requestIdOf,
    // As Express routes: `/api/customers/` is `/api/customers`.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    // Requests are logged by pino-http (nestjs-pino), with the app's own logs.
    logger: false,
  });
}

/** Listens on every interface, as Node does by default (Fastify's own default is localhost alone). */
export async function listenOnEveryInterface(app: INestApplication, port: number): Promise<void> {
  try {
    await app.listen(port, '::');
  } catch (error) {
    // A host without IPv6 (some containers) cannot bind `::`; IPv4's every-interface address it can.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL') throw error;
    await app.listen(port, '0.0.0.0');
  }
}

/** Starts the app without listening, ready for requests on `getHttpServer()`: what tests drive. */
export async function initHttpApp(app: INestApplication): Promise<void> {
  await app.init();
  await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
}

/**
 * helmet's defaults everywhere except Swagger UI, whose page needs inline styles and scripts and data: images.
 * Only `/docs` gets that allowance; every API answer keeps the strict policy.
 */
function securityHeaders(): (
  request: FastifyRequest,
  reply: FastifyReply,
  done: (error?: Error) => void,
) => void {
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
  // helmet sets its headers on Node's response, which Fastify's own headers join when it answers.
  return (request, reply, done) =>
    (isDocs(pathOf(request.url)) ? docs : strict)(request.raw, reply.raw, (error?: unknown) =>
      done(error as Error | undefined),
    );
}

/**
 * JSON bodies (of bounded depth) and form bodies, up to `limit` bytes. An empty JSON body is no body, as
 * Express read it: clients that always send `Content-Type: application/json` keep working.
 */
function parseBodies(app: NestFastifyApplication, fastify: FastifyInstance, limit: string): void {
  const bodyLimit = bytes.parse(limit) as number;
  const parseJson = fastify.getDefaultJsonParser('error', 'error') as unknown as (
    request: unknown,
    body: string,
    done: (error: Error | null, parsed?: unknown) => void,
  ) => void;
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    parseJson(request, body.toString(), (error, parsed) => {
      if (error) return done(error, undefined);
      try {
        assertBodyDepth(parsed);
        done(null, parsed);
      } catch (refused) {
        done(refused as Error, undefined);
      }
    });
  });
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit }, (_request, body, done) =>
    done(null, { ...parseForm(body.toString()) }),
  );
}

function setUpSwagger(app: INestApplication, options: HttpAppOptions): void {
  SwaggerModule.setup(DOCS_PATH, app, () => createOpenApiDocument(app, options), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    swaggerOptions: { persistAuthorization: true },
  });
}

/**
 * The HTTP conventions both services share: a request id on every request, HTTP metrics, security headers
 * (on `/metrics` too), a bounded body of bounded depth, CORS only where configured, `/metrics`, `/api`
 * routes, no NUL byte in a path or query value, strict validation, one error shape, and `/docs`. The app
 * must run on `createHttpAdapter()`, and its module must import `MetricsModule`.
 */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions): void {
  const fastifyApp = app as NestFastifyApplication;
  const fastify = fastifyApp.getHttpAdapter().getInstance();
  const metrics = app.get(HttpMetrics);
  const headers = securityHeaders();
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    headers(request, reply, done);
  });
  fastify.addHook('onResponse', metrics.observe);
  fastify.get(METRICS_PATH, metrics.scrape);
  parseBodies(fastifyApp, fastify, options.bodyLimit ?? DEFAULT_BODY_LIMIT);
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
