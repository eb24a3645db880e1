import request from 'supertest';
import { onServer } from '@customer-pipeline/data-access/testing';
import { PipelineTestApp, createPipelineApp } from '../../test/pipeline-app';
import { ScriptedSource, pageOf } from '../../test/scripted-source';
import { sourceCustomers } from '../../test/customer-fixtures';

describe('GET /api/health (e2e)', () => {
  let source: ScriptedSource;
  let pipeline: PipelineTestApp;
  const health = () => request(pipeline.app.getHttpServer()).get('/api/health');

  const asSuperuser = (sql: string) => onServer((client) => client.query(sql));

  beforeAll(async () => {
    source = await new ScriptedSource((page, limit) => pageOf(sourceCustomers(3), page, limit)).start();
    pipeline = await createPipelineApp({ SOURCE_URL: source.url });
  });

  afterAll(async () => {
    if (pipeline)
      await asSuperuser(
        `ALTER DATABASE ${new URL(pipeline.database.url).pathname.slice(1)} ALLOW_CONNECTIONS true`,
      );
    await pipeline?.close();
    await source?.stop();
  });

  it('reports the database up and no run before the first ingest', async () => {
    expect((await health().expect(200)).body).toEqual({
      status: 'ok',
      database: 'up',
      last_run: null,
      freshness: {
        state: 'unscheduled',
        last_success_at: null,
        interval_seconds: null,
        late_after: null,
        stale_after: null,
      },
    });
  });

  it('shows the last run after an ingest', async () => {
    const ingest = await request(pipeline.app.getHttpServer()).post('/api/ingest').expect(200);
    const body = (await health().expect(200)).body;
    expect(body.last_run).toMatchObject({ id: ingest.body.run_id, status: 'success', records_processed: 3 });
  });

  it('answers liveness while the process runs', async () => {
    expect(
      (await request(pipeline.app.getHttpServer()).get('/api/health/live').expect(200)).body,
    ).toMatchObject({
      status: 'ok',
    });
  });

  it('is ready when the database is migrated and the source answers', async () => {
    source.healthy = true;
    const response = await request(pipeline.app.getHttpServer()).get('/api/health/ready').expect(200);
    expect(response.body.details).toEqual({
      database: { status: 'up' },
      migrations: { status: 'up' },
      source: { status: 'up' },
    });
  });

  it('is not ready, 503 naming the source, when the source does not answer', async () => {
    source.healthy = false;
    const response = await request(pipeline.app.getHttpServer()).get('/api/health/ready').expect(503);
    expect(response.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      status: 'error',
      details: { source: { status: 'down', message: 'source API unreachable' } },
    });
    source.healthy = true;
  });

  it('reports the database up while every connection of its pool is busy', async () => {
    const busy = await createPipelineApp({ DATABASE_POOL_SIZE: '2' });
    const held = [busy.dataSource.createQueryRunner(), busy.dataSource.createQueryRunner()];
    try {
      for (const runner of held) await runner.connect();
      const response = await request(busy.app.getHttpServer()).get('/api/health');
      expect(response.status).toBe(200);
      expect(response.body.database).toBe('up');
    } finally {
      for (const runner of held) await runner.release();
      await busy.close();
    }
  }, 20_000);

  it('answers 503 with database down while the database is unreachable, and recovers when it returns', async () => {
    const name = new URL(pipeline.database.url).pathname.slice(1);
    await asSuperuser(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await asSuperuser(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);

    expect((await health().expect(503)).body).toEqual({
      status: 'error',
      database: 'down',
      last_run: null,
      freshness: null,
    });

    await asSuperuser(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    expect((await health().expect(200)).body).toMatchObject({ status: 'ok', database: 'up' });
  });
});
