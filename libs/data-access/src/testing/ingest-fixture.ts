import type { CustomerRecord } from '@customer-pipeline/contracts';
import { DataSource } from 'typeorm';
import { CustomerUpsertRepository } from '../lib/customers/customer-upsert.repository';
import { IngestFailureEntity } from '../lib/ingest/ingest-failure.entity';
import { IngestFailureRepository, NewIngestFailure } from '../lib/ingest/ingest-failure.repository';
import { IngestRunEntity } from '../lib/ingest/ingest-run.entity';
import { IngestRunRepository } from '../lib/ingest/ingest-run.repository';
import { CommitResult, IngestStagingRepository } from '../lib/ingest/ingest-staging.repository';
import { createMigratedDatabase } from './test-database';

/** One source page as validated: its customers, and its quarantined records without run and page. */
export interface ValidatedPageContent {
  records: CustomerRecord[];
  failures?: Omit<NewIngestFailure, 'run_id' | 'page'>[];
}

/** The ingest repositories on a migrated database of their own, wired as the pipeline wires them. */
export interface IngestFixture {
  dataSource: DataSource;
  runs: IngestRunRepository;
  failures: IngestFailureRepository;
  staging: IngestStagingRepository;
  /**
   * Ingests one run the way the pipeline does: its pages staged one by one, then committed, which merges
   * them into customers and quarantines email conflicts.
   */
  ingest(...pages: ValidatedPageContent[]): Promise<CommitResult & { runId: number }>;
  /** Empties customers and runs, between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function createIngestFixture(): Promise<IngestFixture> {
  const { dataSource, database } = await createMigratedDatabase();
  const runs = new IngestRunRepository(dataSource.getRepository(IngestRunEntity));
  const failures = new IngestFailureRepository(dataSource.getRepository(IngestFailureEntity));
  const staging = new IngestStagingRepository(dataSource, new CustomerUpsertRepository(dataSource), failures);
  return {
    dataSource,
    runs,
    failures,
    staging,
    ingest: async (...pages) => {
      const { run } = await runs.startOrResume('api', { kind: 'api', location: null });
      for (const [index, { records, failures: quarantined = [] }] of pages.entries()) {
        const page = index + 1;
        await staging.stage({
          runId: run.id,
          page,
          records,
          failures: quarantined.map((failure) => ({ ...failure, run_id: run.id, page })),
        });
      }
      return { ...(await staging.commit(run.id)), runId: run.id };
    },
    reset: () => dataSource.query('TRUNCATE customers, ingest_runs, ingest_staged_pages CASCADE'),
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
