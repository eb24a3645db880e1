import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { configureHttpApp, installGracefulShutdown } from '@customer-pipeline/http-runtime';
import { AppModule } from './app/app.module';
import { PipelineConfig } from './config/pipeline.config';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot());
  configureHttpApp(app, {
    title: 'Customer pipeline',
    description: 'Ingests customers from the source API into PostgreSQL and serves them back.',
    version: '1.0',
  });
  const port = app.get(ConfigService<PipelineConfig, true>).get('PIPELINE_PORT', { infer: true });
  await app.listen(port);
  installGracefulShutdown(app);
  Logger.log(`pipeline listening on http://127.0.0.1:${port} (docs at /docs)`, 'Bootstrap');
}

void bootstrap();
