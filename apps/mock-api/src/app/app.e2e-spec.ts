import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createMockApiTestApp } from '../../test/mock-api-test-app';

describe('the mock API application', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createMockApiTestApp();
  });

  afterAll(() => app.close());

  it.each(['/api/nope', '/customers', '/api/customers/CUST001/orders'])(
    'answers the unknown route %s with 404 JSON',
    async (path) => {
      const response = await request(app.getHttpServer()).get(path).expect(404);
      expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', message: `Cannot GET ${path}` });
    },
  );

  it('answers a method the API does not offer with 404 JSON', async () => {
    const response = await request(app.getHttpServer()).post('/api/customers').send({}).expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot POST /api/customers',
    });
  });

  it('publishes an OpenAPI document of the customer and health routes at /docs-json', async () => {
    const response = await request(app.getHttpServer()).get('/docs-json').expect(200);
    const document = response.body;
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'Customer mock API', version: '1.0' });
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/customers',
      '/api/customers/{id}',
      '/api/health',
    ]);

    const list = document.paths['/api/customers'].get;
    expect(list.parameters.map((parameter: { name: string }) => parameter.name).sort()).toEqual([
      'limit',
      'page',
    ]);
    expect(list.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/CustomerPageDto',
    );
    expect(list.responses['400'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ErrorResponseDto',
    );
    const one = document.paths['/api/customers/{id}'].get;
    expect(one.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/CustomerDto',
    );
    expect(one.responses['404'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ErrorResponseDto',
    );
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['CustomerDto', 'CustomerPageDto', 'ErrorResponseDto', 'HealthReportDto']),
    );
  });

  it('serves the Swagger UI at /docs', async () => {
    const response = await request(app.getHttpServer()).get('/docs').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('<title>Swagger UI</title>');
  });
});
