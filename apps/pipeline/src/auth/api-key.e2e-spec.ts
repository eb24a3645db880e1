import request from 'supertest';
import { sourceCustomers } from '../../test/customer-fixtures';
import { PipelineTestApp, createPipelineApp } from '../../test/pipeline-app';
import { ScriptedSource, pageOf } from '../../test/scripted-source';

const WRITE_KEY = 'write-key-0123456789abcdef';
const READ_KEY = 'read-key-0123456789abcdef';

describe('API keys (e2e)', () => {
  let source: ScriptedSource;

  beforeAll(async () => {
    source = await new ScriptedSource((page, limit) => pageOf(sourceCustomers(3), page, limit)).start();
  });

  afterAll(() => source?.stop());

  describe('with INGEST_API_KEY set', () => {
    let pipeline: PipelineTestApp;
    const http = () => request(pipeline.app.getHttpServer());

    beforeAll(async () => {
      pipeline = await createPipelineApp({ SOURCE_URL: source.url, INGEST_API_KEY: WRITE_KEY });
    });

    afterAll(() => pipeline?.close());

    it.each([
      ['no key', undefined, 'missing API key: send Authorization: Bearer <key>'],
      ['a wrong key', `Bearer ${WRITE_KEY}x`, 'invalid API key'],
      ['the key without Bearer', WRITE_KEY, 'missing API key: send Authorization: Bearer <key>'],
    ])('refuses POST /api/ingest with %s: 401 JSON', async (_label, authorization, message) => {
      const call = http().post('/api/ingest');
      if (authorization) call.set('Authorization', authorization);
      const response = await call.expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message });
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect((await http().get('/api/ingest/runs').expect(200)).body.total).toBe(0);
    });

    it.each(['approve', 'reject'])(
      'refuses POST /api/ingest/runs/:id/%s without the key',
      async (decision) => {
        const response = await http().post(`/api/ingest/runs/1/${decision}`).expect(401);
        expect(response.body.message).toBe('missing API key: send Authorization: Bearer <key>');
        // With the key the route is reached: run 1 waits for no decision.
        await http()
          .post(`/api/ingest/runs/1/${decision}`)
          .set('Authorization', `Bearer ${WRITE_KEY}`)
          .expect((answer) => expect([404, 409]).toContain(answer.status));
      },
    );

    it('accepts the right key', async () => {
      await http().post('/api/ingest').set('Authorization', `Bearer ${WRITE_KEY}`).expect(200);
    });

    it('leaves reads and health open', async () => {
      await http().get('/api/customers').expect(200);
      await http().get('/api/health').expect(200);
    });

    it('documents the key as an opaque bearer key that only POST /api/ingest needs', async () => {
      const document = (await http().get('/docs-json').expect(200)).body;
      expect(document.components.securitySchemes).toEqual({
        ingest_api_key: {
          type: 'http',
          scheme: 'bearer',
          description: expect.stringContaining('INGEST_API_KEY'),
        },
      });
      expect(document.paths['/api/ingest'].post.security).toEqual([{ ingest_api_key: [] }]);
      expect(document.paths['/api/ingest'].post.responses).toHaveProperty('401');
      for (const path of ['/api/customers', '/api/ingest/runs', '/api/stats']) {
        expect(document.paths[path].get.security).toBeUndefined();
        expect(document.paths[path].get.responses).not.toHaveProperty('401');
      }
    });
  });

  describe('with READ_API_KEY set', () => {
    let pipeline: PipelineTestApp;
    const http = () => request(pipeline.app.getHttpServer());

    beforeAll(async () => {
      pipeline = await createPipelineApp({ SOURCE_URL: source.url, READ_API_KEY: READ_KEY });
    });

    afterAll(() => pipeline?.close());

    it('guards every read route but health', async () => {
      for (const path of [
        '/api/customers',
        '/api/customers/CUST001',
        '/api/ingest/runs',
        '/api/ingest/failures',
        '/api/stats',
      ]) {
        expect((await http().get(path).expect(401)).body.statusCode).toBe(401);
      }
      await http().get('/api/customers').set('Authorization', `Bearer ${READ_KEY}`).expect(200);
      await http().get('/api/health').expect(200);
      await http().get('/api/health/live').expect(200);
      await http().get('/metrics').expect(200);
      await http().get('/docs-json').expect(200);
    });

    it('documents the read key on every read route, and Swagger UI offers to authorize with it', async () => {
      const document = (await http().get('/docs-json').expect(200)).body;
      expect(Object.keys(document.components.securitySchemes)).toEqual(['read_api_key']);
      expect(document.components.securitySchemes.read_api_key).not.toHaveProperty('bearerFormat');
      for (const path of ['/api/customers', '/api/customers/{id}', '/api/ingest/runs', '/api/stats']) {
        expect(document.paths[path].get.security).toEqual([{ read_api_key: [] }]);
      }
      expect(document.paths['/api/ingest'].post.security).toBeUndefined();
      expect(document.paths['/api/health'].get.security).toBeUndefined();
      // Swagger UI builds its Authorize dialog from the document it embeds, and keeps the key it is given.
      const init = (await http().get('/docs/swagger-ui-init.js').expect(200)).text;
      expect(init).toContain('"read_api_key"');
      expect(init).toContain('"persistAuthorization": true');
    });
  });
});
