import { OpenApiContract, RecordedAnswer } from './openapi-contract';

const RUN = {
  type: 'object',
  properties: { run_id: { type: 'integer' } },
  required: ['run_id'],
};

/** A document with the mistake the pipeline's stats once had: `nullable` beside `allOf`, which refuses null. */
const document = {
  paths: {
    '/api/stats': {
      get: {
        responses: {
          '200': {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    last_failure: {
                      nullable: true,
                      type: 'object',
                      allOf: [{ $ref: '#/components/schemas/Run' }],
                    },
                    last_success: {
                      oneOf: [
                        { $ref: '#/components/schemas/Run' },
                        { type: 'object', nullable: true, enum: [null] },
                      ],
                    },
                  },
                },
              },
            },
          },
          '500': { content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
    '/api/runs/{id}': { get: { responses: { '204': {} } } },
  },
  components: { schemas: { Run: RUN } },
};

const answer = (path: string, status: number, body: unknown): RecordedAnswer => ({
  request: { method: 'GET', url: `http://127.0.0.1:8000${path}` },
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body,
});

describe('OpenApiContract', () => {
  it('accepts an answer its schema allows, a null only where the schema really allows one', () => {
    const contract = new OpenApiContract(document);
    expect(
      contract.check(answer('/api/stats', 200, { last_success: null, last_failure: { run_id: 1 } })),
    ).toEqual([]);
    expect(
      contract.check(answer('/api/stats', 200, { last_success: { run_id: 1 }, last_failure: null })),
    ).toEqual(['GET /api/stats 200: body/last_failure must be object']);
  });

  it('reports a wrong body, an undocumented status, a body that is not JSON, and an unknown route', () => {
    const contract = new OpenApiContract(document);
    expect(contract.check(answer('/api/stats', 200, { last_success: { run_id: 'one' } }))).toContain(
      'GET /api/stats 200: body/last_success/run_id must be integer',
    );
    expect(contract.check(answer('/api/stats?page=1', 404, {}))).toEqual([
      'GET /api/stats 404 is not documented',
    ]);
    expect(
      contract.check({ ...answer('/api/stats', 500, 'oops'), headers: { 'content-type': 'text/html' } }),
    ).toEqual(['GET /api/stats 500 answered text/html']);
    expect(contract.check(answer('/api/nowhere', 200, {}))).toEqual([
      'GET /api/nowhere is not in the document',
    ]);
  });

  it('matches path templates and lists the documented statuses no answer has shown', () => {
    const contract = new OpenApiContract(document);
    expect(contract.unexercised()).toEqual([
      'GET /api/stats 200',
      'GET /api/stats 500',
      'GET /api/runs/{id} 204',
    ]);
    expect(contract.check({ ...answer('/api/runs/7', 204, ''), headers: {} })).toEqual([]);
    contract.check(answer('/api/stats', 200, {}));
    expect(contract.unexercised()).toEqual(['GET /api/stats 500']);
  });
});
