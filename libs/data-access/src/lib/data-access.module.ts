import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomerEntity } from './customers/customer.entity';
import { CustomerReadRepository } from './customers/customer-read.repository';
import { CustomerUpsertRepository } from './customers/customer-upsert.repository';
import { IngestFailureEntity } from './ingest/ingest-failure.entity';
import { IngestFailureRepository } from './ingest/ingest-failure.repository';
import { IngestLockRepository } from './ingest/ingest-lock.repository';
import { IngestRunEntity } from './ingest/ingest-run.entity';
import { IngestRunRepository } from './ingest/ingest-run.repository';
import { IngestStagingRepository } from './ingest/ingest-staging.repository';
import { DatabaseHealthRepository } from './database/database-health.repository';
import { MigrationService } from './database/migration.service';

const REPOSITORIES = [
  CustomerReadRepository,
  CustomerUpsertRepository,
  IngestRunRepository,
  IngestFailureRepository,
  IngestStagingRepository,
  IngestLockRepository,
  DatabaseHealthRepository,
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
