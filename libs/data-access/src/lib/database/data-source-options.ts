import { types } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { CustomerEntity } from '../customers/customer.entity';
import { IngestFailureEntity } from '../ingest/ingest-failure.entity';
import { IngestRunEntity } from '../ingest/ingest-run.entity';
import { IngestStagedPageEntity } from '../ingest/ingest-staged-page.entity';
import { MIGRATIONS } from '../../migrations';

const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;

export const ENTITIES = [CustomerEntity, IngestRunEntity, IngestFailureEntity, IngestStagedPageEntity];

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  /** Milliseconds a statement may run before the server cancels it. */
  statementTimeoutMs?: number;
}

/**
 * TypeORM options for the one PostgreSQL database. The schema only ever changes through migrations.
 * `TIMESTAMP` columns hold UTC; pg would read them in the process's local zone, so they are read as UTC here.
 */
export function createDataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  types.setTypeParser(TIMESTAMP_WITHOUT_TIME_ZONE, (value) => new Date(`${value.replace(' ', 'T')}Z`));
  return {
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    poolSize: options.poolSize ?? 10,
    extra: {
      statement_timeout: options.statementTimeoutMs ?? 0,
      connectionTimeoutMillis: 5000,
      application_name: 'customer-pipeline',
    },
  };
}
