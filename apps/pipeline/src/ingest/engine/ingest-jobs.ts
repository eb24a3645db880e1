import { createHash } from 'node:crypto';

/** One job per run: its coordinator, which plans the read, merges what is staged and commits. */
export const RUN_QUEUE = 'ingest-run';
/** One job per range of pages: any process reads, validates and stages them. */
export const RANGE_QUEUE = 'ingest-range';
/** pg-boss sends one job here per tick of `INGEST_CRON` (full runs), whichever process notices it first. */
export const SCHEDULE_QUEUE = 'ingest-schedule';
/** ... and here per tick of `INGEST_CRON_INCREMENTAL`. */
export const INCREMENTAL_SCHEDULE_QUEUE = 'ingest-schedule-incremental';

export interface RunJobData {
  run_id: number;
}

export interface RangeJobData {
  run_id: number;
  /** The run's attempt (its `resumed_count`) that planned the range. */
  attempt: number;
  first_page: number;
  last_page: number;
  /** Where to read: the run's source URL, whatever this process's SOURCE_URL says. */
  location: string;
  limit: number;
}

/** What a range job reports when it is done. */
export interface RangeJobOutput {
  pages_staged: number;
  /** A page whose ids repeat the page before it: the source stopped paging there. */
  repeated_page?: number;
  /** A refusal no retry can mend (a 404, a body that is not a page): the run fails with it. */
  error?: string;
}

/**
 * A range job's id follows from the run, the attempt and the range, so that planning the same range twice
 * (a coordinator taken over mid-plan) inserts it once, and a coordinator can find the jobs of earlier
 * attempts to cancel them. A name-based UUID (version 5 layout over SHA-1).
 */
export function rangeJobId(runId: number, attempt: number, firstPage: number): string {
  const hex = createHash('sha1').update(`ingest-range:${runId}:${attempt}:${firstPage}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
