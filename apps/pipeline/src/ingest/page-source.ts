import type { IngestSourceKind } from '@customer-pipeline/data-access';

/** One page of raw records, numbered from 1 in source order. */
export interface RawPage {
  page: number;
  records: unknown[];
}

export interface ReadPlan {
  /** Pages a resumed run already staged, with how many records each held: they are not read again. */
  staged: ReadonlyMap<number, number>;
  /** The total the source announced on an earlier attempt of this run, if any. */
  knownTotal: number | null;
  concurrency: number;
  maxPages: number;
  /** Called once per page read, with back-pressure: the reader waits for it before reading more. */
  consume(page: RawPage): Promise<void>;
  /** Called when the source announces how many records it holds. */
  onTotal(total: number | null, pages: number | null): Promise<void>;
  onRetry(reason: string, page: number): void;
}

export interface ReadOutcome {
  /** Records the source said it holds, when it said so. */
  sourceTotal: number | null;
  /** Anything odd about the listing: a repeated page, the page cap reached. */
  notes: string[];
}

/** Where a run's customers come from: the source API or a CSV file. */
export interface PageSource {
  readonly kind: IngestSourceKind;
  /** The CSV path or URL; null for the configured source API. */
  readonly location: string | null;
  read(plan: ReadPlan): Promise<ReadOutcome>;
}
