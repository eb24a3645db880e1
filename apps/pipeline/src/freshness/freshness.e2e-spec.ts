import request from 'supertest';
import { sourceCustomers } from '../../test/customer-fixtures';
import { ScriptedPipeline, createScriptedPipeline } from '../../test/pipeline-app';
import { pageOf } from '../../test/scripted-source';
import { Clock } from './clock';

describe('freshness in /api/health, /api/stats and /metrics (e2e)', () => {
  let pipeline: ScriptedPipeline;
  const http = () => request(pipeline.app.getHttpServer());
  const freshnessMetric = async () =>
    Object.fromEntries(
      [
        ...(await http().get('/metrics').expect(200)).text.matchAll(
          /^ingest_freshness_state\{state="(\w+)"\} (\d)$/gm,
        ),
      ].map(([, state, value]) => [state, Number(value)]),
    );

  beforeAll(async () => {
    // Once a year: no tick falls inside the test, and the interval around now is a year long.
    pipeline = await createScriptedPipeline((page, limit) => pageOf(sourceCustomers(3), page, limit), {
      INGEST_CRON: '0 0 1 1 *',
    });
  });
  afterAll(() => pipeline?.close());

  it('is stale before the first success of a schedule, everywhere it is shown', async () => {
    const health = (await http().get('/api/health').expect(200)).body;
    expect(health.freshness).toMatchObject({ state: 'stale', last_success_at: null, late_after: null });
    expect(health.freshness.interval_seconds).toBeGreaterThanOrEqual(365 * 86400);
    expect((await http().get('/api/stats').expect(200)).body.freshness).toEqual(health.freshness);
    expect(await freshnessMetric()).toEqual({ fresh: 0, late: 0, stale: 1, unscheduled: 0 });
  });

  it('is fresh after a success, from its finish', async () => {
    await http().post('/api/ingest').expect(200);
    const stats = (await http().get('/api/stats').expect(200)).body;
    expect(stats.freshness).toMatchObject({
      state: 'fresh',
      last_success_at: stats.last_success.finished_at,
    });
    expect(Date.parse(stats.freshness.stale_after) - Date.parse(stats.freshness.late_after)).toBe(
      stats.freshness.interval_seconds * 1000,
    );
    expect((await http().get('/api/health').expect(200)).body.freshness.state).toBe('fresh');
    expect(await freshnessMetric()).toEqual({ fresh: 1, late: 0, stale: 0, unscheduled: 0 });
  });
});

describe('freshness at its boundaries, on a fake clock (e2e)', () => {
  let pipeline: ScriptedPipeline;
  const http = () => request(pipeline.app.getHttpServer());

  beforeAll(async () => {
    // Daily in UTC: the interval is 24 h whatever the date the clock is set to.
    pipeline = await createScriptedPipeline((page, limit) => pageOf(sourceCustomers(3), page, limit), {
      INGEST_CRON: '0 3 * * *',
    });
  });
  afterAll(() => pipeline?.close());

  it('is fresh up to one interval after the last success, late up to two, then stale: in health, stats and metrics', async () => {
    await http().post('/api/ingest').expect(200);
    const finished = Date.parse((await http().get('/api/stats').expect(200)).body.last_success.finished_at);
    const day = 86_400_000;
    const clock = pipeline.app.get(Clock);
    const at = async (instant: number) => {
      jest.spyOn(clock, 'now').mockReturnValue(new Date(instant));
      const health = (await http().get('/api/health').expect(200)).body.freshness.state;
      const stats = (await http().get('/api/stats').expect(200)).body.freshness.state;
      const metric = /^ingest_freshness_state\{state="(\w+)"\} 1$/m.exec(
        (await http().get('/metrics').expect(200)).text,
      )?.[1];
      expect(stats).toBe(health);
      expect(metric).toBe(health);
      return health;
    };
    try {
      expect(await at(finished + day)).toBe('fresh');
      expect(await at(finished + day + 1)).toBe('late');
      expect(await at(finished + 2 * day)).toBe('late');
      expect(await at(finished + 2 * day + 1)).toBe('stale');
    } finally {
      jest.restoreAllMocks();
    }
  });
});
