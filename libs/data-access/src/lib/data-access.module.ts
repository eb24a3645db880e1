import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomerEntity } from './customers/customer.entity';
import { CustomerReadModelRepository } from './customers/customer-read-model.repository';
import { CustomerUpsertRepository } from './customers/customer-upsert.repository';
import { IngestFailureEntity } from './ingest/ingest-failure.entity';
import { IngestFailureRepository } from './ingest/ingest-failure.repository';
import { IngestFailureSummaryRepository } from './ingest/ingest-failure-summary.repository';
import { IngestLockRepository } from './ingest/ingest-lock.repository';
import { IngestRunEntity } from './ingest/ingest-run.entity';
import { IngestRunRepository } from './ingest/ingest-run.repository';
import { IngestSourceRepository } from './ingest/ingest-source.repository';
import { IngestStagedPageRepository } from './ingest/ingest-staged-page.repository';
import { PipelineInstanceRepository } from './instances/pipeline-instance.repository';
import { JobQueue } from './jobs/job-queue';
import { TransactionRunner } from './database/transaction-runner';
import { DatabaseHealthRepository } from './database/database-health.repository';
import { MigrationService } from './database/migration.service';

const REPOSITORIES = [
  CustomerReadModelRepository,
  CustomerUpsertRepository,
  IngestRunRepository,
  IngestFailureRepository,
  IngestFailureSummaryRepository,
  IngestStagedPageRepository,
  IngestSourceRepository,
  IngestLockRepository,
  DatabaseHealthRepository,
  PipelineInstanceRepository,
  TransactionRunner,
  JobQueue,
];

/**
 * Every repository of the database. The app provides the connection with
 * `TypeOrmModule.forRootAsync({ useFactory: () => createDataSourceOptions(...) })`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([CustomerEntity, IngestRunEntity, IngestFailureEntity])],
  providers: [...REPOSITORIES, MigrationService],
  exports: REPOSITORIES,
})
export class DataAccessModule {}
