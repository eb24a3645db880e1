/**
 * The parts of the pipeline's wire format the dashboard reads, written out here rather than imported from
 * `@customer-pipeline/contracts`: that library's DTOs carry class-validator and Swagger decorators, which
 * would pull server code into the browser bundle. Fields a newer pipeline adds are optional, so that the
 * page also works against an older one.
 */

export interface Page<T> {
  data: T[];
  total: number;
  page: number;
  limit: number;
}

export interface RangeProgress {
  total: number;
  queued: number;
  running: number;
  done: number;
  retried: number;
  failed: number;
}

export interface RunProgress {
  phase: string;
  pages_done: number;
  pages_total: number | null;
  percent: number | null;
  records_per_second: number;
  eta_seconds: number | null;
  ranges: RangeProgress | null;
}

/** What a guard found about a run; `hold` kept it in `needs_review`. */
export interface GuardFinding {
  guard: string;
  action: 'warn' | 'hold' | string;
  message: string;
  details?: unknown;
}

export interface IngestRun {
  id: number;
  trigger: string;
  status: string;
  mode?: 'full' | 'incremental' | string;
  source: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number;
  pages_total: number | null;
  pages_fetched: number;
  source_total: number | null;
  records_processed: number;
  records_inserted: number;
  records_updated: number;
  records_unchanged: number;
  records_failed: number;
  records_deleted?: number;
  records_restored?: number;
  records_duplicate: number;
  retries: number;
  notes: string | null;
  error: string | null;
  findings?: GuardFinding[];
  progress: RunProgress;
}

export interface FailureRuleGroup {
  field: string;
  rule: string;
  reason: string;
  count: number;
  example_customer_id: string | null;
  example_message: string;
}

export type FreshnessState = 'fresh' | 'late' | 'stale' | 'unscheduled';

export interface Freshness {
  state: FreshnessState;
  last_success_at: string | null;
  interval_seconds: number | null;
  late_after: string | null;
  stale_after: string | null;
}

export interface HealthReport {
  status: string;
  database: string;
  freshness?: Freshness | null;
}

export interface IngestStarted {
  status: string;
  run_id: number;
  resumed: boolean;
}

/** The pipeline's error body. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  run_id?: number;
}
