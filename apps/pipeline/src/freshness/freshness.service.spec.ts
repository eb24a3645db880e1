import { ConfigService } from '@nestjs/config';
import type { IngestRunEntity, IngestRunRepository } from '@customer-pipeline/data-access';
import { PipelineConfig } from '../config/pipeline.config';
import { Clock } from './clock';
import { FreshnessService } from './freshness.service';

class FakeClock extends Clock {
  constructor(public instant: string) {
    super();
  }

  override now(): Date {
    return new Date(this.instant);
  }
}

const HOUR_MS = 3_600_000;

function freshnessAt(
  now: string,
  { cron, incrementalCron, lastSuccess }: { cron?: string; incrementalCron?: string; lastSuccess?: string },
): Promise<ReturnType<FreshnessService['assess']> extends Promise<infer T> ? T : never> {
  const runs = {
    findLatest: async () =>
      lastSuccess ? ({ finished_at: new Date(lastSuccess) } as IngestRunEntity) : null,
  } as unknown as IngestRunRepository;
  const settings: Partial<PipelineConfig> = { INGEST_CRON: cron, INGEST_CRON_INCREMENTAL: incrementalCron };
  const config = {
    get: (name: keyof PipelineConfig) => settings[name],
  } as unknown as ConfigService<PipelineConfig, true>;
  return new FreshnessService(runs, new FakeClock(now), config).assess();
}

describe('FreshnessService', () => {
  const everySixHours = { cron: '0 */6 * * *', lastSuccess: '2026-11-20T06:00:41.000Z' };

  it('is unscheduled without INGEST_CRON, and still names the last success', async () => {
    expect(await freshnessAt('2026-11-20T07:00:00Z', { lastSuccess: everySixHours.lastSuccess })).toEqual({
      state: 'unscheduled',
      last_success_at: '2026-11-20T06:00:41.000Z',
      interval_seconds: null,
      late_after: null,
      stale_after: null,
    });
  });

  it('is fresh up to exactly one interval after the last success, late one millisecond later', async () => {
    const atOneInterval = await freshnessAt('2026-11-20T12:00:41.000Z', everySixHours);
    expect(atOneInterval).toEqual({
      state: 'fresh',
      last_success_at: '2026-11-20T06:00:41.000Z',
      interval_seconds: 6 * 3600,
      late_after: '2026-11-20T12:00:41.000Z',
      stale_after: '2026-11-20T18:00:41.000Z',
    });
    expect((await freshnessAt('2026-11-20T12:00:41.001Z', everySixHours)).state).toBe('late');
  });

  it('is late up to exactly two intervals, stale one millisecond later', async () => {
    expect((await freshnessAt('2026-11-20T18:00:41.000Z', everySixHours)).state).toBe('late');
    expect((await freshnessAt('2026-11-20T18:00:41.001Z', everySixHours)).state).toBe('stale');
  });

  it('is stale with a schedule and no success ever', async () => {
    expect(await freshnessAt('2026-11-20T07:00:00Z', { cron: everySixHours.cron })).toEqual({
      state: 'stale',
      last_success_at: null,
      interval_seconds: 6 * 3600,
      late_after: null,
      stale_after: null,
    });
  });

  it('measures one interval, not two, at an instant that is itself a tick', async () => {
    const onTick = await freshnessAt('2026-11-20T12:00:00.000Z', everySixHours);
    expect(onTick.interval_seconds).toBe(6 * 3600);
  });

  it('takes the interval around now: a weekday schedule allows the whole weekend', async () => {
    // Friday 09:00 to Monday 09:00 is one interval of `0 9 * * 1-5`: Monday 08:00 is still fresh.
    const weekdays = { cron: '0 9 * * 1-5', lastSuccess: '2026-11-20T09:00:30.000Z' };
    const monday = await freshnessAt('2026-11-23T08:00:00.000Z', weekdays);
    expect(monday).toMatchObject({ state: 'fresh', interval_seconds: 72 * 3600 });
    // On Tuesday the interval is a day again, and Friday's success is more than two of them old.
    const tuesday = await freshnessAt('2026-11-24T10:00:00.000Z', weekdays);
    expect(tuesday).toMatchObject({ state: 'stale', interval_seconds: 24 * 3600 });
    expect(Date.parse(tuesday.stale_after as string) - Date.parse(weekdays.lastSuccess)).toBe(48 * HOUR_MS);
  });

  it('takes the schedule that ticks more often when both full and incremental runs are scheduled', async () => {
    const both = {
      cron: '0 0 * * *',
      incrementalCron: '*/15 * * * *',
      lastSuccess: '2026-11-20T06:00:00.000Z',
    };
    expect(await freshnessAt('2026-11-20T06:20:00.000Z', both)).toMatchObject({
      state: 'late',
      interval_seconds: 15 * 60,
    });
    expect(
      await freshnessAt('2026-11-20T06:20:00.000Z', {
        incrementalCron: both.incrementalCron,
        lastSuccess: both.lastSuccess,
      }),
    ).toMatchObject({
      state: 'late',
    });
  });
});
