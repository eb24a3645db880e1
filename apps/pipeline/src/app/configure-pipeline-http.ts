import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Logger } from 'nestjs-pino';
import { configureHttpApp } from '@customer-pipeline/http-runtime';
import { PipelineConfig } from '../config/pipeline.config';

const PIPELINE_DOCUMENT = {
  title: 'Customer pipeline',
  description: 'Ingests customers from the source API into PostgreSQL and serves them back.',
  version: '1.0',
};

/** The pipeline's HTTP setup, shared by `main.ts` and the tests so that both run the production wiring. */
export function configurePipelineHttp(app: INestApplication): void {
  const config = app.get(ConfigService<PipelineConfig, true>);
  app.useLogger(app.get(Logger));
  // main.ts holds start-up logs back until pino is in place (see there); they go out now.
  app.flushLogs();
  configureHttpApp(app, {
    ...PIPELINE_DOCUMENT,
    bodyLimit: config.get('BODY_LIMIT', { infer: true }),
    corsOrigins: config.get('CORS_ORIGINS', { infer: true }),
    bearerAuth: true,
  });
}
