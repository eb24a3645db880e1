import { isIsoTimestamp, normalizeIsoTimestamp } from '@customer-pipeline/contracts';
import type {
  IngestMode,
  IngestRunEntity,
  IngestSourceKind,
  RunFinding,
  RunProgress,
  SourceCursor,
} from '@customer-pipeline/data-access';

/** Orders two cursors as the source's `updated_since` listing orders records: by time, then by id. */
export function compareCursors(a: SourceCursor, b: SourceCursor): number {
  const byTime = a.updatedAt.getTime() - b.updatedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
}

/**
 * A raw record's place in the `updated_since` listing, or null when it has no readable `updated_at`. A time
 * without an offset is UTC, as it is stored: `Date.parse` would read it in the process's own time zone.
 */
export function cursorOf(record: unknown): SourceCursor | null {
  const { updated_at, customer_id } = (record ?? {}) as { updated_at?: unknown; customer_id?: unknown };
  if (!isIsoTimestamp(updated_at) || typeof customer_id !== 'string') return null;
  return { updatedAt: new Date(normalizeIsoTimestamp(updated_at as string)), customerId: customer_id };
}

/**
 * One attempt at a run, as its coordinator sees it: what it reads, how far it has got, and what it has
 * noticed. The coordinator and the merge share this one object; the database has the same counters for
 * everyone else (`GET /api/ingest/runs/:id`), written at most twice a second.
 */
export class RunState {
  readonly id: number;
  /** The run's `resumed_count`: 0 for a first attempt. */
  readonly attempt: number;
  readonly sourceKind: IngestSourceKind;
  readonly location: string;
  readonly mode: IngestMode;
  /** The checkpoint of the source when the run started reading, for an incremental run. */
  cursorFrom: SourceCursor | null = null;
  readonly findings: RunFinding[] = [];
  /** The source's row in `ingest_sources`, which customers name as where they came from. */
  sourceId = 0;
  /** False once the read stopped short of the source's end (the page cap): deletes cannot be told then. */
  readWhole: boolean;
  /** Someone approved the run after a guard held it: it is applied as staged, guards aside. */
  readonly approved: boolean;
  /** Records asked for per page. */
  readonly pageLimit: number;
  sourceTotal: number | null;
  pagesTotal: number | null;
  readonly notes: string[] = [];
  private merged = 0;
  private dirty = false;

  constructor(run: IngestRunEntity, pageLimit: number) {
    this.id = run.id;
    this.attempt = run.resumed_count;
    this.sourceKind = run.source_kind;
    this.location = run.source_location ?? '';
    this.mode = run.mode;
    this.approved = run.approved_at !== null;
    if (this.approved) this.findings.push(...run.findings);
    // An approved run is not read again: what its held read reached is all it knows.
    this.readWhole = !this.approved || run.read_whole === true;
    this.pageLimit = pageLimit;
    this.sourceTotal = run.source_total;
    this.pagesTotal = run.pages_total;
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** The source announced its size. */
  announced(total: number | null): void {
    this.sourceTotal = total;
    this.pagesTotal = total === null ? null : Math.max(1, Math.ceil(total / this.pageLimit));
    this.dirty = true;
  }

  pagesMerged(upTo: number): void {
    this.merged = upTo;
    this.dirty = true;
  }

  /** Whether the size or the merge moved since the progress was last taken. */
  get changed(): boolean {
    return this.dirty;
  }

  /** The progress columns that changed since the last call, for the run's row; null when none did. */
  takeProgress(): RunProgress | null {
    if (!this.dirty) return null;
    this.dirty = false;
    return { source_total: this.sourceTotal, pages_total: this.pagesTotal, pages_merged: this.merged };
  }
}
