import request from 'supertest';
import { MockApiProcess, startMockApi } from '../../test/mock-api-process';
import { PipelineTestApp, createPipelineApp } from '../../test/pipeline-app';
import { readAllCustomers, readAllFromSource } from '../../test/read-all-customers';

describe.each([
  ['the 21 fixture customers', {}, 21],
  ['10,000 generated customers', { MOCK_CUSTOMERS: '10000' }, 10_000],
])('round trip of %s through the real mock API (e2e)', (_label, mockEnvironment, expected) => {
  let mock: MockApiProcess;
  let pipeline: PipelineTestApp;

  beforeAll(async () => {
    mock = await startMockApi(mockEnvironment);
    pipeline = await createPipelineApp({ SOURCE_URL: mock.url });
  }, 60_000);

  afterAll(async () => {
    await pipeline?.close();
    await mock?.stop();
  });

  it('stores every source customer and reads each back exactly as the source serves it', async () => {
    const ingest = await request(pipeline.app.getHttpServer()).post('/api/ingest').expect(200);
    expect(ingest.body).toMatchObject({
      status: 'success',
      records_processed: expected,
      inserted: expected,
      failed: 0,
    });

    const fromSource = await readAllFromSource(mock.url);
    const fromPipeline = await readAllCustomers((path) =>
      request(pipeline.app.getHttpServer())
        .get(path)
        .expect(200)
        .then((r) => r.body),
    );
    expect(fromSource).toHaveLength(expected);
    // toStrictEqual compares JSON types too: a balance read back as "12.50" or a date as a timestamp fails.
    expect(fromPipeline).toStrictEqual(fromSource);

    const one = fromSource[expected - 1] as { customer_id: string };
    const single = await request(pipeline.app.getHttpServer())
      .get(`/api/customers/${one.customer_id}`)
      .expect(200);
    // By id, with where it came from.
    expect(single.body).toStrictEqual({
      ...one,
      deleted_at: null,
      source_kind: 'api',
      source_location: mock.url,
      last_run_id: ingest.body.run_id,
    });
  }, 120_000);
});
