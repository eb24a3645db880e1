import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Logger } from 'nestjs-pino';
import { OpenApiDocumentOptions, configureHttpApp } from '@customer-pipeline/http-runtime';
import { apiKeySchemes } from '../auth/api-key-schemes';
import { PipelineConfig } from '../config/pipeline.config';
import { DatabaseUnavailableFilter } from './database-unavailable.filter';

/** The pipeline's OpenAPI document, for the keys that are set. */
export function pipelineDocument(keys: { read: boolean; ingest: boolean }): OpenApiDocumentOptions {
  return {
    title: 'Customer pipeline',
    description: 'Ingests customers from the source API into PostgreSQL and serves them back.',
    version: '1.0',
    tags: [
      { name: 'customers', description: "The stored customers, in the source API's wire format" },
      { name: 'ingest', description: 'Copying the source in, and the record of every run and failure' },
      { name: 'stats', description: 'Totals across customers and runs' },
      { name: 'health', description: 'Liveness and readiness, for operators and orchestrators' },
    ],
    apiKeys: apiKeySchemes(keys),
  };
}

/** The pipeline's HTTP setup, shared by `main.ts` and the tests so that both run the production wiring. */
export function configurePipelineHttp(app: INestApplication): void {
  const config = app.get(ConfigService<PipelineConfig, true>);
  app.useLogger(app.get(Logger));
  // main.ts holds start-up logs back until pino is in place (see there); they go out now.
  app.flushLogs();
  configureHttpApp(app, {
    ...pipelineDocument({
      read: config.get('READ_API_KEY', { infer: true }) !== undefined,
      ingest: config.get('INGEST_API_KEY', { infer: true }) !== undefined,
    }),
    bodyLimit: config.get('BODY_LIMIT', { infer: true }),
    corsOrigins: config.get('CORS_ORIGINS', { infer: true }),
  });
  // Nest asks the global filter bound last first: this one, which hands on what is not an outage.
  app.useGlobalFilters(new DatabaseUnavailableFilter());
}
