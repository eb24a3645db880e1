import { Injectable } from '@nestjs/common';
import { IngestRunEntity, IngestRunRepository } from '@customer-pipeline/data-access';
import type { IngestRunStatus } from '@customer-pipeline/data-access';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a run can end; each is exported from the start, so that rate() and alerts see the first one. */
const RUN_OUTCOMES: readonly IngestRunStatus[] = ['success', 'failed', 'needs_review'];
const RECORD_OUTCOMES = ['inserted', 'updated', 'unchanged', 'failed', 'deleted', 'restored'] as const;
/** What each guard can find: drift is a warning unless INGEST_SCHEMA_DRIFT=review; the others hold. */
const GUARD_ACTIONS = [
  ['schema_drift', 'warn'],
  ['schema_drift', 'hold'],
  ['delete_share', 'hold'],
  ['empty_source', 'hold'],
  ['volume', 'hold'],
  ['invalid_share', 'hold'],
] as const;

/** The ingest's Prometheus metrics, on the app's registry (served at /metrics). */
@Injectable()
export class IngestMetrics {
  private readonly runs: Counter<'outcome'>;
  private readonly records: Counter<'outcome'>;
  private readonly pages: Counter;
  private readonly retries: Counter;
  private readonly duration: Histogram<'outcome'>;
  private readonly findings: Counter<'guard' | 'action'>;

  constructor(registry: Registry, runRepository: IngestRunRepository) {
    const registers = [registry];
    this.runs = new Counter({
      name: 'ingest_runs_total',
      help: 'Ingest runs finished, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.records = new Counter({
      name: 'ingest_records_total',
      help: 'Records of successful runs, by what they did',
      labelNames: ['outcome'],
      registers,
    });
    this.pages = new Counter({
      name: 'ingest_pages_fetched_total',
      help: 'Source pages read and staged',
      registers,
    });
    this.retries = new Counter({
      name: 'ingest_source_retries_total',
      help: 'Source requests retried',
      registers,
    });
    this.duration = new Histogram({
      name: 'ingest_run_duration_seconds',
      help: 'Wall time of finished runs',
      labelNames: ['outcome'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
      registers,
    });
    this.findings = new Counter({
      name: 'ingest_guard_findings_total',
      help: 'Findings of the quality guards on finished runs, by guard and action (warn or hold)',
      labelNames: ['guard', 'action'],
      registers,
    });
    for (const [guard, action] of GUARD_ACTIONS) this.findings.inc({ guard, action }, 0);
    for (const outcome of RUN_OUTCOMES) this.runs.inc({ outcome }, 0);
    for (const outcome of RECORD_OUTCOMES) this.records.inc({ outcome }, 0);
    new Gauge({
      name: 'ingest_last_success_age_seconds',
      help: 'Seconds since the last successful run finished, in any process; NaN before the first',
      registers,
      async collect() {
        const last = await runRepository.findLatest(['success']).catch(() => null);
        // NaN, not 0: "never" must not read as "just now" (an unset gauge would show 0).
        this.set(last?.finished_at ? (Date.now() - last.finished_at.getTime()) / 1000 : Number.NaN);
      },
    });
  }

  pageStaged(): void {
    this.pages.inc();
  }

  retried(): void {
    this.retries.inc();
  }

  finished(run: IngestRunEntity): void {
    this.runs.inc({ outcome: run.status });
    this.duration.observe({ outcome: run.status }, this.secondsOf(run));
    // An approved run carries the findings of its hold, counted when it was held.
    if (run.approved_at === null) {
      for (const { guard, action } of run.findings) this.findings.inc({ guard, action });
    }
    if (run.status !== 'success') return;
    this.records.inc({ outcome: 'inserted' }, run.records_inserted);
    this.records.inc({ outcome: 'updated' }, run.records_updated);
    this.records.inc({ outcome: 'unchanged' }, run.records_unchanged);
    this.records.inc({ outcome: 'failed' }, run.records_failed);
    this.records.inc({ outcome: 'deleted' }, run.records_deleted);
    this.records.inc({ outcome: 'restored' }, run.records_restored);
  }

  private secondsOf(run: IngestRunEntity): number {
    return ((run.finished_at ?? new Date()).getTime() - run.started_at.getTime()) / 1000;
  }
}
