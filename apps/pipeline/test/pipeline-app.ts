import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { TestDatabase, createTestDatabase } from '@customer-pipeline/data-access/testing';
import { createHttpAdapter, initHttpApp } from '@customer-pipeline/http-runtime';
import { AppModule } from '../src/app/app.module';
import { configurePipelineHttp } from '../src/app/configure-pipeline-http';
import { PipelineConfig } from '../src/config/pipeline.config';
import { PageAnswer, ScriptedSource } from './scripted-source';

export interface PipelineTestApp {
  app: INestApplication;
  database: TestDatabase;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** The real pipeline app, configured as in production, on a fresh database of its own. */
export async function createPipelineApp(
  config: Partial<Record<keyof PipelineConfig, string>> = {},
  /** Another app's database, for a second process on the same data; it is left for its owner to drop. */
  shared?: TestDatabase,
): Promise<PipelineTestApp> {
  const database = shared ?? (await createTestDatabase());
  // @nestjs/config copies validated values into process.env; without this, one test app's settings
  // (an API key, a schedule) would leak into the next app created in the same Jest worker.
  const environmentBefore = new Set(Object.keys(process.env));
  const moduleRef = await Test.createTestingModule({
    imports: [
      await AppModule.forRoot(
        {
          SOURCE_URL: 'http://127.0.0.1:9',
          // Retries keep their number but not their production pace, so that failure tests stay quick;
          // a range whose source requests fail past their retries fails its run at once, unless a test
          // asks for range retries.
          SOURCE_RETRY_BASE_MS: '5',
          SOURCE_RETRY_MAX_MS: '50',
          INGEST_RANGE_RETRIES: '0',
          INGEST_RANGE_RETRY_DELAY_S: '1',
          // Tests serve one small source after another: the quality guards would hold most of their runs.
          // Those of the guards switch them back on.
          INGEST_MAX_DELETE_SHARE: '1',
          INGEST_MAX_VOLUME_CHANGE: '1000',
          INGEST_MAX_INVALID_SHARE: '1',
          LOG_LEVEL: 'silent',
          ...config,
          DATABASE_URL: database.url,
        },
        { readEnvFile: false },
      ),
    ],
  }).compile();
  for (const key of Object.keys(process.env)) if (!environmentBefore.has(key)) delete process.env[key];
  const app = moduleRef.createNestApplication(createHttpAdapter(), { bufferLogs: true });
  configurePipelineHttp(app);
  await initHttpApp(app);
  return {
    app,
    database,
    dataSource: app.get(DataSource),
    close: async () => {
      await app.close();
      if (!shared) await database.drop();
    },
  };
}

export interface ScriptedPipeline extends PipelineTestApp {
  source: ScriptedSource;
}

/** A pipeline app reading from a scripted source of its own; `close` stops both. */
export async function createScriptedPipeline(
  answer: (page: number, limit: number, query: URLSearchParams) => PageAnswer,
  config: Partial<Record<keyof PipelineConfig, string>> = {},
): Promise<ScriptedPipeline> {
  const source = await new ScriptedSource(answer).start();
  const pipeline = await createPipelineApp({ SOURCE_URL: source.url, ...config }).catch(async (error) => {
    await source.stop();
    throw error;
  });
  return {
    ...pipeline,
    source,
    close: async () => {
      await pipeline.close();
      await source.stop();
    },
  };
}

/**
 * Empties what runs wrote, so that the next test starts as on a new database: customers with the read
 * model that describes them, runs, staged pages and checkpoints.
 */
export async function resetPipelineData(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    'TRUNCATE customers, ingest_runs, ingest_staged_pages, ingest_sources, customer_id_anchors CASCADE; UPDATE customer_summary SET total = 0, version = version + 1',
  );
}
