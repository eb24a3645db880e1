import {
  BadRequestException,
  Controller,
  Get,
  INestApplication,
  NotFoundException,
  Query,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { PaginationQueryDto } from '@customer-pipeline/contracts';
import request from 'supertest';
import { configureHttpApp } from './configure-http-app';

@Controller('probe')
class ProbeController {
  @Get('paged')
  paged(@Query() query: PaginationQueryDto) {
    return query;
  }

  @Get('not-found')
  notFound() {
    throw new NotFoundException('Thing 7 not found');
  }

  @Get('bad')
  bad() {
    throw new BadRequestException(['a is wrong', 'b is wrong']);
  }

  @Get('crash')
  crash() {
    throw new Error(
      'relation "customers" does not exist: SELECT * FROM customers WHERE email = \'ada@example.com\'',
    );
  }
}

describe('configureHttpApp', () => {
  let app: INestApplication;
  const get = (path: string) => request(app.getHttpServer()).get(path);

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    configureHttpApp(app, { title: 'probe', description: 'probe', version: '1' });
    await app.init();
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
    });
  });

  it('shapes HTTP errors as {statusCode, error, message}', async () => {
    expect((await get('/api/probe/not-found').expect(404)).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Thing 7 not found',
    });
    expect((await get('/api/probe/bad').expect(400)).body.message).toEqual(['a is wrong', 'b is wrong']);
    expect((await get('/api/nowhere').expect(404)).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /api/nowhere',
    });
  });

  it('answers an unexpected error with a bare 500 that leaks nothing', async () => {
    const response = await get('/api/probe/crash').expect(500);
    expect(response.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
    });
    expect(response.text).not.toMatch(/customers|SELECT|ada@example/);
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /docs-json', async () => {
    expect((await get('/docs').expect(200)).text).toContain('swagger');
    const document = (await get('/docs-json').expect(200)).body;
    expect(Object.keys(document.paths)).toContain('/api/probe/paged');
  });
});
