import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { TestDatabase, createTestDatabase } from '@customer-pipeline/data-access/testing';
import { configureHttpApp } from '@customer-pipeline/http-runtime';
import { AppModule } from '../src/app/app.module';
import { PipelineConfig } from '../src/config/pipeline.config';

export interface PipelineTestApp {
  app: INestApplication;
  database: TestDatabase;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** The real pipeline app, configured as in production, on a fresh database of its own. */
export async function createPipelineApp(
  config: Partial<Record<keyof PipelineConfig, string>> = {},
): Promise<PipelineTestApp> {
  const database = await createTestDatabase();
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        SOURCE_URL: 'http://127.0.0.1:9',
        // Retries keep their number but not their production pace, so that failure tests stay quick.
        SOURCE_RETRY_BASE_MS: '5',
        SOURCE_RETRY_MAX_MS: '50',
        ...config,
        DATABASE_URL: database.url,
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  configureHttpApp(app, { title: 'pipeline', description: 'test', version: 'test' });
  await app.init();
  return {
    app,
    database,
    dataSource: app.get(DataSource),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
