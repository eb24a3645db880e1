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
      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `Cannot GET ${path}`,
        request_id: expect.any(String),
      });
    },
  );

  it('answers a method the API does not offer with 404 JSON', async () => {
    const response = await request(app.getHttpServer()).post('/api/customers').send({}).expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot POST /api/customers',
      request_id: expect.any(String),
    });
  });

  it('publishes an OpenAPI document of the customer, health and admin routes at /docs-json', async () => {
    const response = await request(app.getHttpServer()).get('/docs-json').expect(200);
    const document = response.body;
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'Customer mock API', version: '1.0' });
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/admin/outage',
      '/api/customers',
      '/api/customers/{id}',
      '/api/health',
      '/api/health/live',
    ]);

    const list = document.paths['/api/customers'].get;
    expect(list.parameters.map((parameter: { name: string }) => parameter.name).sort()).toEqual([
      'limit',
      'page',
      'updated_since',
    ]);
    expect(
      list.parameters.find((parameter: { name: string }) => parameter.name === 'updated_since'),
    ).toMatchObject({ required: false, schema: { type: 'string', format: 'date-time' } });
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
    // Every failure a client may be served is documented on both customers routes.
    for (const operation of [list, one]) {
      for (const status of ['429', '500', '503']) {
        expect(operation.responses[status].content['application/json'].schema.$ref).toBe(
          '#/components/schemas/ErrorResponseDto',
        );
      }
    }
    const outage = document.paths['/api/admin/outage'];
    expect(outage.post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/SetOutageDto',
    );
    expect(outage.post.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/OutageStateDto',
    );
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'CustomerDto',
        'CustomerPageDto',
        'ErrorResponseDto',
        'HealthReportDto',
        'SetOutageDto',
        'OutageStateDto',
      ]),
    );
  });

  it('serves the Swagger UI at /docs', async () => {
    const response = await request(app.getHttpServer()).get('/docs').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('<title>Swagger UI</title>');
  });
});
