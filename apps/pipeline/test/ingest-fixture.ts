import { Logger } from '@nestjs/common';
import type { CustomerRecord } from '@customer-pipeline/contracts';
import {
  CustomerReadModelRepository,
  CustomerUpsertRepository,
  IngestFailureEntity,
  IngestFailureRepository,
  IngestRunEntity,
  IngestRunRepository,
  IngestSourceRepository,
  IngestStagedPageRepository,
  MergeTotals,
  NewIngestFailure,
  TransactionRunner,
} from '@customer-pipeline/data-access';
import { createMigratedDatabase } from '@customer-pipeline/data-access/testing';
import { DataSource } from 'typeorm';
import { RunMergeFactory } from '../src/ingest/engine/run-merge';
import { RunState } from '../src/ingest/engine/run-state';

/** One source page as validated: its customers, and its quarantined records without run and page. */
export interface ValidatedPageContent {
  records: CustomerRecord[];
  failures?: Omit<NewIngestFailure, 'run_id' | 'page'>[];
}

/** The engine's repositories and merge on a migrated database of their own, wired as the pipeline wires them. */
export interface IngestFixture {
  dataSource: DataSource;
  /** The URL of the fixture's database, for connections of a test's own. */
  url: string;
  runs: IngestRunRepository;
  failures: IngestFailureRepository;
  stagedPages: IngestStagedPageRepository;
  merges: RunMergeFactory;
  /** A running run, as a coordinator has it once it took the run's job. */
  startRun(): Promise<RunState>;
  /** Stages one validated page of the run with its quarantined records, as a range job does. */
  stage(run: RunState, page: number, content: ValidatedPageContent): Promise<void>;
  /**
   * Ingests one run the way the pipeline does: its pages staged one by one, then merged by the engine's
   * `RunMerge`, which upserts them and quarantines email conflicts, and committed. The run read part of its
   * source, so it deletes no customer it did not see.
   */
  ingest(...pages: ValidatedPageContent[]): Promise<MergeTotals & { runId: number }>;
  /** The same, for a run that read its whole source: the stored customers it did not see are deleted. */
  ingestWhole(...pages: ValidatedPageContent[]): Promise<MergeTotals & { runId: number }>;
  /** Empties customers and runs, between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function createIngestFixture(): Promise<IngestFixture> {
  // No app, so no pino: the merge's Nest logger would print to the test output; tests read the outcome.
  Logger.overrideLogger(false);
  const { dataSource, database } = await createMigratedDatabase();
  const runs = new IngestRunRepository(dataSource.getRepository(IngestRunEntity));
  const failures = new IngestFailureRepository(dataSource.getRepository(IngestFailureEntity));
  const stagedPages = new IngestStagedPageRepository(dataSource);
  const transactions = new TransactionRunner(dataSource);
  const sources = new IngestSourceRepository(dataSource);
  const merges = new RunMergeFactory(
    transactions,
    new CustomerUpsertRepository(dataSource),
    failures,
    runs,
    stagedPages,
    sources,
    new CustomerReadModelRepository(),
  );
  const startRun = async () => {
    const queued = await transactions.run((manager) =>
      runs.createQueued('api', { kind: 'api', location: 'http://fixture', pageLimit: 100 }, 'full', manager),
    );
    const run = await runs.markRunning((queued as IngestRunEntity).id);
    const state = new RunState(run as IngestRunEntity, 100);
    state.sourceId = (await sources.ensure('api', 'http://fixture')).id;
    return state;
  };
  const stage = async (
    run: RunState,
    page: number,
    { records, failures: quarantined = [] }: ValidatedPageContent,
  ) => {
    await transactions.run(async (manager) => {
      await stagedPages.stage(
        {
          runId: run.id,
          page,
          records,
          failedCount: quarantined.length,
          idsDigest: `page-${page}`,
          contentDigest: `page-${page}`,
          withoutOffsetCount: 0,
          newest: null,
          customerIds: records.map((record) => record.customer_id),
          shape: {},
        },
        manager,
      );
      await failures.addMany(
        quarantined.map((failure) => ({ ...failure, run_id: run.id, page })),
        manager,
      );
    });
  };
  const ingestRun = async (pages: ValidatedPageContent[], readWhole: boolean) => {
    const run = await startRun();
    run.readWhole = readWhole;
    const merge = await merges.open(run);
    try {
      for (const [index, content] of pages.entries()) {
        await stage(run, index + 1, content);
        merge.pageStaged(index + 1);
      }
      return { ...(await merge.complete(async () => undefined)), runId: run.id };
    } catch (error) {
      await merge.abort();
      throw error;
    }
  };
  return {
    dataSource,
    url: database.url,
    runs,
    failures,
    stagedPages,
    merges,
    startRun,
    stage,
    ingest: (...pages) => ingestRun(pages, false),
    ingestWhole: (...pages) => ingestRun(pages, true),
    reset: async () => {
      await dataSource.query(
        'TRUNCATE customers, ingest_runs, ingest_staged_pages, customer_id_anchors CASCADE',
      );
      await dataSource.query('UPDATE customer_summary SET total = 0, version = version + 1');
    },
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
