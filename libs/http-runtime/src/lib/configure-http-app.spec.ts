import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Param,
  Post,
  INestApplication,
  NotFoundException,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { PaginationQueryDto } from '@customer-pipeline/contracts';
import { IsOptional, IsString } from 'class-validator';
import request from 'supertest';
import { HttpAppOptions, configureHttpApp, createHttpAdapter, initHttpApp } from './configure-http-app';
import { MetricsModule } from './metrics/metrics.module';

class EchoDto {
  @IsString()
  text!: string;
}

class SearchQueryDto extends PaginationQueryDto {
  @IsOptional()
  @IsString()
  search?: string;
}

@Controller('probe')
class ProbeController {
  @Get('paged')
  paged(@Query() query: PaginationQueryDto) {
    return query;
  }

  @Get('search')
  search(@Query() query: SearchQueryDto) {
    return query;
  }

  @Get('things/:id')
  @ApiBearerAuth('probe_key')
  @ApiUnauthorizedResponse({ description: 'probe_key is set and was not sent' })
  thing(@Param('id') id: string) {
    return { id };
  }

  @Get('not-found')
  notFound() {
    throw new NotFoundException('Thing 7 not found');
  }

  @Get('bad')
  bad() {
    throw new BadRequestException(['a is wrong', 'b is wrong']);
  }

  @Post('echo')
  echo(@Body() body: EchoDto) {
    return body;
  }

  @Get('crash')
  crash() {
    throw new Error(
      'relation "customers" does not exist: SELECT * FROM customers WHERE email = \'ada@example.com\'',
    );
  }
}

async function probeApp(options: Partial<HttpAppOptions> = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [MetricsModule.forRoot()],
    controllers: [ProbeController],
  }).compile();
  const app = moduleRef.createNestApplication(createHttpAdapter(), { logger: false });
  configureHttpApp(app, { title: 'probe', description: 'probe', version: '1', tags: [], ...options });
  await initHttpApp(app);
  return app;
}

const REQUEST_ID = expect.stringMatching(/^[0-9a-f-]{36}$/);

describe('configureHttpApp', () => {
  let app: INestApplication;
  const get = (path: string) => request(app.getHttpServer()).get(path);

  beforeAll(async () => {
    app = await probeApp({ bodyLimit: '1kb' });
  });

  afterAll(() => app.close());

  it('serves routes under /api and transforms validated queries', async () => {
    expect((await get('/api/probe/paged?page=2').expect(200)).body).toEqual({ page: 2, limit: 10 });
  });

  it('refuses unknown query parameters', async () => {
    const response = await get('/api/probe/paged?pgae=2').expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: ['property pgae should not exist'],
      request_id: REQUEST_ID,
    });
  });

  it('shapes HTTP errors as {statusCode, error, message}', async () => {
    expect((await get('/api/probe/not-found').expect(404)).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Thing 7 not found',
      request_id: REQUEST_ID,
    });
    expect((await get('/api/probe/bad').expect(400)).body.message).toEqual(['a is wrong', 'b is wrong']);
    expect((await get('/api/nowhere').expect(404)).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /api/nowhere',
      request_id: REQUEST_ID,
    });
  });

  it('names only the path of an unknown route, never its query string', async () => {
    const response = await get('/api/nowhere/7?email=ada.lovelace%40example.com&x=1').expect(404);
    expect(response.body.message).toBe('Cannot GET /api/nowhere/7');
    expect(response.text).not.toContain('ada.lovelace');
  });

  describe('a NUL byte in a path or query value', () => {
    it.each([
      ['/api/probe/things/%00', ['id must not contain a NUL byte (%00)']],
      ['/api/probe/things/a%00b', ['id must not contain a NUL byte (%00)']],
      ['/api/probe/search?search=a%00b', ['search must not contain a NUL byte (%00)']],
      ['/api/probe/search?search=ok&search=%00', ['search must not contain a NUL byte (%00)']],
      ['/api/probe/search?page=%00', ['page must not contain a NUL byte (%00)']],
    ])('%s is refused with 400 naming the parameter', async (path, message) => {
      expect((await get(path).expect(400)).body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message,
        request_id: REQUEST_ID,
      });
    });

    it('leaves other text alone', async () => {
      expect((await get('/api/probe/things/%C3%A9').expect(200)).body).toEqual({ id: 'é' });
      expect((await get('/api/probe/search?search=a%2500b').expect(200)).body.search).toBe('a%00b');
    });
  });

  it('answers an unexpected error with a bare 500 that leaks nothing', async () => {
    const response = await get('/api/probe/crash').expect(500);
    expect(response.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      request_id: response.headers['x-request-id'],
    });
    expect(response.text).not.toMatch(/customers|SELECT|ada@example/);
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /docs-json', async () => {
    expect((await get('/docs').expect(200)).text).toContain('swagger');
    const document = (await get('/docs-json').expect(200)).body;
    expect(Object.keys(document.paths)).toContain('/api/probe/paged');
  });

  describe('request ids', () => {
    it('echoes an acceptable x-request-id in the header and the error body', async () => {
      const response = await get('/api/probe/not-found').set('x-request-id', 'trace-42.a:b').expect(404);
      expect(response.headers['x-request-id']).toBe('trace-42.a:b');
      expect(response.body.request_id).toBe('trace-42.a:b');
    });

    it('generates a UUID when none or an unacceptable one is sent', async () => {
      const none = await get('/api/probe/paged').expect(200);
      const forged = await get('/api/probe/paged').set('x-request-id', 'x'.repeat(200)).expect(200);
      expect(none.headers['x-request-id']).toEqual(REQUEST_ID);
      expect(forged.headers['x-request-id']).toEqual(REQUEST_ID);
      expect(forged.headers['x-request-id']).not.toBe(none.headers['x-request-id']);
    });
  });

  describe('hardening', () => {
    it('sends a strict content security policy on the API and relaxes it only for /docs', async () => {
      const api = (await get('/api/probe/paged').expect(200)).headers['content-security-policy'];
      const docs = (await get('/docs').expect(200)).headers['content-security-policy'];
      expect(api).toContain("script-src 'self';");
      expect(api).not.toContain("script-src 'self' 'unsafe-inline'");
      expect(docs).toContain("script-src 'self' 'unsafe-inline'");
      expect((await get('/api/probe/paged')).headers['x-content-type-options']).toBe('nosniff');
    });

    it('refuses a body over the limit with 413 in the usual error shape', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/probe/echo')
        .send({ text: 'x'.repeat(2000) })
        .expect(413);
      expect(response.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: expect.any(String),
        request_id: REQUEST_ID,
      });
      await request(app.getHttpServer()).post('/api/probe/echo').send({ text: 'short' }).expect(201);
    });

    it('refuses a body nested deeper than 32 levels with 400 before validation walks it', async () => {
      // 2,000 levels overflowed the stack in validation (a 500); the default body limit lets them through.
      const defaultLimit = await probeApp();
      const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const post = (body: string) =>
        request(defaultLimit.getHttpServer())
          .post('/api/probe/echo')
          .set('content-type', 'application/json')
          .send(body);
      try {
        expect((await post(`{"text":${nested(2000)}}`).expect(400)).body).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          message: 'request body nests deeper than 32 levels',
          request_id: REQUEST_ID,
        });
        expect((await post(`{"text":${nested(31)}}`).expect(400)).body.message).toEqual([
          'text must be a string',
        ]);
      } finally {
        await defaultLimit.close();
      }
    });

    it('reads an empty JSON body as no body, and a form body as fields', async () => {
      const post = () => request(app.getHttpServer()).post('/api/probe/echo');
      const empty = await post().set('content-type', 'application/json').send('').expect(400);
      expect(empty.body.message).toEqual(['text must be a string']);
      const form = await post().type('form').send('text=from+a+form').expect(201);
      expect(form.body).toEqual({ text: 'from a form' });
    });

    it('answers malformed JSON with 400, not 500', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/probe/echo')
        .set('content-type', 'application/json')
        .send('{"text": ')
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', request_id: REQUEST_ID });
    });

    it('answers no CORS headers unless origins are configured, and then only to those', async () => {
      const preflight = (target: INestApplication, origin: string) =>
        request(target.getHttpServer())
          .options('/api/probe/paged')
          .set('Origin', origin)
          .set('Access-Control-Request-Method', 'GET');
      expect(
        (await preflight(app, 'https://app.example.com')).headers['access-control-allow-origin'],
      ).toBeUndefined();
      const withCors = await probeApp({ corsOrigins: ['https://app.example.com'] });
      try {
        const allowed = await preflight(withCors, 'https://app.example.com');
        expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
        const other = await preflight(withCors, 'https://evil.example.com');
        expect(other.headers['access-control-allow-origin']).toBeUndefined();
      } finally {
        await withCors.close();
      }
    });

    it('sends no X-Powered-By, and the security headers on /metrics too', async () => {
      for (const path of ['/metrics', '/api/probe/paged', '/api/nowhere', '/docs']) {
        const response = await get(path);
        expect(response.headers['x-powered-by']).toBeUndefined();
        expect(response.headers['x-content-type-options']).toBe('nosniff');
      }
      expect((await get('/metrics')).headers['content-security-policy']).toContain("script-src 'self';");
    });
  });

  describe('the OpenAPI document', () => {
    const thing = (document: { paths: Record<string, Record<string, Record<string, unknown>>> }) =>
      document.paths['/api/probe/things/{id}']['get'];
    const probeKey = { name: 'probe_key', description: 'PROBE_KEY, an opaque key' };

    it('documents no key scheme, and no key requirement or 401, for a key that is not set', async () => {
      const withUnsetKey = await probeApp({ apiKeys: [{ ...probeKey, configured: false }] });
      try {
        const document = (await request(withUnsetKey.getHttpServer()).get('/docs-json')).body;
        expect(document.components.securitySchemes).toBeUndefined();
        expect(thing(document)['security']).toBeUndefined();
        expect(thing(document)['responses']).not.toHaveProperty('401');
      } finally {
        await withUnsetKey.close();
      }
    });

    it('documents a set key as an opaque bearer key, required by the routes that ask for it', async () => {
      const withKey = await probeApp({ apiKeys: [{ ...probeKey, configured: true }] });
      try {
        const document = (await request(withKey.getHttpServer()).get('/docs-json')).body;
        expect(document.components.securitySchemes).toEqual({
          probe_key: { type: 'http', scheme: 'bearer', description: 'PROBE_KEY, an opaque key' },
        });
        expect(thing(document)['security']).toEqual([{ probe_key: [] }]);
        expect(thing(document)['responses']).toHaveProperty('401');
        expect(document.paths['/api/probe/paged'].get.security).toBeUndefined();
      } finally {
        await withKey.close();
      }
    });

    it('has a relative server, described tags, a 500 on every operation and a 413 where a body is read', async () => {
      const tagged = await probeApp({ tags: [{ name: 'probe', description: 'Probing' }] });
      try {
        const document = (await request(tagged.getHttpServer()).get('/docs-json')).body;
        expect(document.servers).toEqual([{ url: '/', description: expect.any(String) }]);
        expect(document.tags).toEqual([{ name: 'probe', description: 'Probing' }]);
        const operations = Object.values(document.paths).flatMap((path) =>
          Object.entries(path as object).map(([method, operation]) => ({ method, operation })),
        );
        expect(operations.length).toBeGreaterThan(5);
        for (const { method, operation } of operations) {
          const shared = method === 'post' ? ['413', '500'] : ['500'];
          for (const status of shared) {
            expect(operation.responses[status].content['application/json']).toEqual({
              schema: { $ref: '#/components/schemas/ErrorResponseDto' },
              example: expect.objectContaining({ statusCode: Number(status) }),
            });
          }
          if (method !== 'post') expect(operation.responses).not.toHaveProperty('413');
        }
      } finally {
        await tagged.close();
      }
    });
  });

  describe('/metrics', () => {
    it('counts requests by route pattern and status, outside the /api prefix and the docs', async () => {
      await get('/api/probe/not-found').expect(404);
      await get('/api/nowhere/7').expect(404);
      const metrics = await get('/metrics').expect(200);
      expect(metrics.headers['content-type']).toContain('text/plain');
      expect(metrics.text).toMatch(
        /http_requests_total\{method="GET",route="\/api\/probe\/not-found",status_code="404"\} [1-9]/,
      );
      expect(metrics.text).toMatch(/http_requests_total\{method="GET",route="unmatched",status_code="404"\}/);
      expect(metrics.text).not.toContain('/api/nowhere/7');
      expect(metrics.text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET"/);
      expect(metrics.text).toContain('process_cpu_user_seconds_total');
      await get('/api/metrics').expect(404);
      expect(Object.keys((await get('/docs-json')).body.paths)).not.toContain('/metrics');
    });
  });
});
