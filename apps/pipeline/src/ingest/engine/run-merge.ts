import { Injectable, Logger } from '@nestjs/common';
import {
  CustomerReadModelRepository,
  CustomerUpsertRepository,
  IngestFailureRepository,
  IngestRunRepository,
  IngestSourceRepository,
  IngestStagedPageRepository,
  MergeTotals,
  RunFinding,
  RunSchema,
  SourceCursor,
  OpenTransaction,
  TransactionRunner,
  UpsertResult,
} from '@customer-pipeline/data-access';
import { loggableError } from '@customer-pipeline/http-runtime';
import type { EntityManager } from 'typeorm';
import type { RunState } from './run-state';

/** Pages merged per statement: big enough to amortise the statement, small enough to report progress. */
export const PAGES_PER_STATEMENT = 50;

function newCustomersOnly(inserted: number): UpsertResult {
  return {
    received: inserted,
    inserted,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    conflicts: [],
    restored: 0,
  };
}

/** What a merge knows, before it commits, for the guards to judge. */
export interface MergeFacts {
  totals: MergeTotals;
  /** Live customers before this run. */
  storedBefore: number;
}

/** The guards' verdict on a merge about to commit: its findings, and its records' shape to keep with it. */
export interface MergeReview {
  findings: RunFinding[];
  schema: RunSchema;
}

/** A guard held the run: the merge was not committed, and the run waits for review. */
export class HeldForReviewError extends Error {
  constructor(readonly review: MergeReview) {
    super(
      review.findings
        .filter((finding) => finding.action === 'hold')
        .map((finding) => finding.message)
        .join('; '),
    );
    this.name = 'HeldForReviewError';
  }
}

/** Opens run merges: the statements and repositories a merge needs, in one place. */
@Injectable()
export class RunMergeFactory {
  constructor(
    private readonly transactions: TransactionRunner,
    readonly upserts: CustomerUpsertRepository,
    readonly failures: IngestFailureRepository,
    readonly runs: IngestRunRepository,
    readonly stagedPages: IngestStagedPageRepository,
    readonly sources: IngestSourceRepository,
    readonly readModel: CustomerReadModelRepository,
  ) {}

  async open(run: RunState): Promise<RunMerge> {
    return new RunMerge(await this.transactions.begin(), run, this);
  }
}

/**
 * The merge of one run into `customers`, in one transaction held open while the run reads. Ranges of
 * `PAGES_PER_STATEMENT` pages are merged, in page order, as soon as every page of the range is staged, so
 * most of the merge happens while later pages are still being read; `complete` merges the rest, marks the
 * run a success, completes the coordinator's job and commits, all at once. Readers see nothing until then,
 * and `abort` rolls it all back, leaving the staged pages for the next attempt. A page whose ids repeat the
 * page before it ends the merge there: the source stopped paging.
 */
export class RunMerge {
  private readonly logger = new Logger(RunMerge.name);
  private readonly staged = new Set<number>();
  /** The first page of the next range to merge. */
  private nextPage = 1;
  private work: Promise<void> = Promise.resolve();
  private failure: unknown;
  /** While a run brings only new customers (a first load), ranges are offered to the plain insert first. */
  private insertFirst = true;
  /** The page that repeated its predecessor, where the merge (and the read) ended. */
  private repeated: number | null = null;
  private readonly totals: MergeTotals = {
    inserted: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    conflicts: 0,
    deleted: 0,
    restored: 0,
  };

  constructor(
    private readonly transaction: OpenTransaction,
    private readonly run: RunState,
    private readonly parts: RunMergeFactory,
  ) {}

  get repeatedPage(): number | null {
    return this.repeated;
  }

  /** A reader saw `page` repeat the page before it: nothing from there on is merged. */
  stopAt(page: number): void {
    if (this.repeated !== null && this.repeated <= page) return;
    this.repeated = page;
  }

  /** The first page not merged yet: pages before it need no more looking at. */
  get mergedUpTo(): number {
    return this.nextPage;
  }

  /** Notes that a page is staged, and queues every range that is now complete. Throws once a merge failed. */
  pageStaged(page: number): void {
    if (this.failure !== undefined) throw this.failure;
    if (page >= this.nextPage) this.staged.add(page);
    while (this.rangeIsStaged(this.nextPage) && !this.reaches(this.nextPage + PAGES_PER_STATEMENT - 1)) {
      const from = this.nextPage;
      const to = from + PAGES_PER_STATEMENT - 1;
      for (let staged = from; staged <= to; staged++) this.staged.delete(staged);
      this.nextPage = to + 1;
      this.queue(from, to);
    }
  }

  /** Waits for the ranges queued so far; rethrows a merge failure. */
  async settled(): Promise<void> {
    await this.work;
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * Merges what is left; for a full run that read the whole source, marks the customers it did not see
   * deleted; asks `review` (the guards) whether the run may commit, and throws HeldForReviewError when a
   * guard holds it (the caller aborts: nothing is applied); otherwise marks the run a success, runs
   * `finalize` (the coordinator completes its job there) and commits: all of it or none.
   */
  async complete(
    finalize: (manager: EntityManager) => Promise<void>,
    review?: (facts: MergeFacts, manager: EntityManager) => Promise<MergeReview>,
  ): Promise<MergeTotals> {
    await this.settled();
    const manager = this.transaction.manager;
    const { stagedPages, runs, upserts, readModel } = this.parts;
    const { first, last } = await stagedPages.bounds(this.run.id, manager);
    const end = this.repeated === null ? last : Math.min(last, this.repeated - 1);
    for (let from = this.nextPage; from <= end; from += PAGES_PER_STATEMENT) {
      await this.merge(from, Math.min(from + PAGES_PER_STATEMENT - 1, end));
    }
    if (this.repeated !== null) {
      this.run.note(`source repeated page ${this.repeated - 1} as page ${this.repeated}; stopped reading`);
      await stagedPages.removeFrom(this.run.id, this.repeated, manager);
    }
    // Only a read of the whole source tells what it no longer has; an incremental read cannot.
    const storedBefore = await readModel.total(manager);
    // Kept on the run, so that a held run's approval (which reads nothing again) knows it too.
    if (this.repeated !== null) this.run.readWhole = false;
    // With no live customer before the run, every live one now is one the run inserted or restored: the
    // anti-join over every stored id (seconds at a million) could find nothing.
    if (this.run.mode === 'full' && this.run.readWhole && storedBefore > 0) {
      const started = performance.now();
      this.totals.deleted = await upserts.markUnseenDeleted(this.run.id, manager);
      // What looking for deletes costs a full run: the one set-based anti-join over every stored id.
      this.logger.log(
        { run_id: this.run.id, deleted: this.totals.deleted, ms: Math.round(performance.now() - started) },
        'looked for deletes',
      );
    } else if (this.run.mode === 'full' && !this.run.readWhole) {
      this.run.note('deletes were not looked for: the run did not read the whole source');
    } else if (this.run.mode === 'incremental') {
      this.run.note(
        'deletes were not looked for: an incremental run reads what changed; a full run finds them',
      );
    }
    const verdict = review ? await review({ totals: this.totals, storedBefore }, manager) : null;
    if (verdict) this.run.findings.push(...verdict.findings);
    if (verdict?.findings.some((finding) => finding.action === 'hold')) throw new HeldForReviewError(verdict);
    const lastMerged = this.repeated === null ? last : Math.min(last, this.repeated - 1);
    const cursor = checkpointOf(
      await stagedPages.newest(this.run.id, manager),
      await stagedPages.oldestReadAt(this.run.id, manager),
    );
    // The checkpoint moves with the data it stands for, in this transaction, and never on a run that fails.
    if (cursor) {
      const source = await this.parts.sources.ensure(this.run.sourceKind, this.run.location, manager);
      await this.parts.sources.advance(source.id, cursor, this.run.id, manager);
    }
    await runs.markSucceeded(
      this.run.id,
      {
        totals: this.totals,
        pagesMerged: lastMerged - first + 1,
        sourceTotal: this.run.sourceTotal,
        notes: this.run.notes,
        cursor,
        findings: this.run.findings,
        schema: verdict?.schema ?? null,
      },
      manager,
    );
    await stagedPages.removeRun(this.run.id, manager);
    // The total, data version, offset anchors and statistics the read API uses, in the same commit.
    await readModel.recordMerge(
      {
        added: this.totals.inserted + this.totals.restored,
        removed: this.totals.deleted,
        changed: this.totals.updated,
      },
      manager,
    );
    await finalize(manager);
    await this.transaction.commit();
    return this.totals;
  }

  /** Rolls the merge back; the staged pages stay for the next attempt. */
  async abort(): Promise<void> {
    this.failure ??= new Error('merge aborted');
    await this.work;
    await this.transaction.rollback();
  }

  private rangeIsStaged(from: number): boolean {
    for (let page = from; page < from + PAGES_PER_STATEMENT; page++) if (!this.staged.has(page)) return false;
    return true;
  }

  private queue(from: number, to: number): void {
    this.work = this.work.then(async () => {
      if (this.failure !== undefined) return;
      await this.merge(from, to).catch((error: unknown) => {
        this.logger.warn({ run_id: this.run.id, error: loggableError(error) }, 'merging a range failed');
        this.failure ??= error;
      });
    });
  }

  /** Whether the range ending at `to` reaches the repeated page, where merging stops. */
  private reaches(to: number): boolean {
    return this.repeated !== null && to >= this.repeated;
  }

  /** Merges pages from..to, or those of them before a page that repeats its predecessor. */
  private async merge(from: number, to: number): Promise<void> {
    const repeated = await this.parts.stagedPages.firstRepeat(
      this.run.id,
      from,
      to,
      this.transaction.manager,
    );
    if (repeated !== null) this.stopAt(repeated);
    const end = this.repeated === null ? to : Math.min(to, this.repeated - 1);
    if (end < from) return;
    addTo(this.totals, await this.mergeRange(from, end));
    this.run.pagesMerged(end);
  }

  /**
   * Merges one range of pages. While a run keeps bringing new customers (a first load), the range is first
   * offered to the plain insert of new customers; when that takes every record, the range is done. Records
   * it leaves go through the full statement, which finds the inserted ones unchanged. A run whose range
   * brings no new customer at all (a re-ingest) stops trying.
   */
  private async mergeRange(from: number, to: number): Promise<UpsertResult> {
    const manager = this.transaction.manager;
    const { upserts, failures } = this.parts;
    let inserted = 0;
    const origin = { runId: this.run.id, sourceId: this.run.sourceId };
    if (this.insertFirst) {
      const fresh = await upserts.insertNewStagedPages(origin, from, to, manager);
      if (fresh.distinctKeys && fresh.inserted === fresh.received) return newCustomersOnly(fresh.inserted);
      if (fresh.distinctKeys && fresh.inserted === 0) this.insertFirst = false;
      inserted = fresh.inserted;
    }
    const result = await upserts.upsertStagedPages(origin, from, to, manager);
    await failures.addEmailConflicts(this.run.id, result.conflicts, manager);
    return { ...result, inserted: result.inserted + inserted, unchanged: result.unchanged - inserted };
  }
}

/**
 * The checkpoint a run commits: its newest record, but never past the moment it began to read (its oldest
 * staged page), since a record changed after that may have been missed by the pages read before it.
 */
export function checkpointOf(newest: SourceCursor | null, readSince: Date | null): SourceCursor | null {
  if (!newest) return null;
  if (!readSince || newest.updatedAt <= readSince) return newest;
  return { updatedAt: readSince, customerId: '' };
}

function addTo(total: MergeTotals, result: UpsertResult): void {
  total.inserted += result.inserted;
  total.updated += result.updated;
  total.unchanged += result.unchanged;
  total.duplicates += result.duplicates;
  total.conflicts += result.conflicts.length;
  total.restored += result.restored;
}
