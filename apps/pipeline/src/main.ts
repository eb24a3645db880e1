import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { join } from 'node:path';
import {
  createHttpAdapter,
  installGracefulShutdown,
  listenOnEveryInterface,
} from '@customer-pipeline/http-runtime';
import { AppModule } from './app/app.module';
import { configurePipelineHttp } from './app/configure-pipeline-http';
import { PipelineConfig } from './config/pipeline.config';
import { serveDashboard } from './dashboard/dashboard-site';

/** `nx build dashboard` writes it beside this build (`dist/apps/`); the image copies it the same way. */
const DASHBOARD_FOLDER = join(__dirname, '../dashboard');

async function bootstrap(): Promise<void> {
  // Buffered logs go to pino once it is configured; if start-up fails first, they are dropped with the
  // stack traces Nest would print, and the catch below says in one line what is wrong.
  const app = await NestFactory.create<NestFastifyApplication>(
    await AppModule.forRoot(),
    createHttpAdapter(),
    {
      bufferLogs: true,
      autoFlushLogs: false,
      abortOnError: false,
    },
  );
  configurePipelineHttp(app);
  const config = app.get(ConfigService<PipelineConfig, true>);
  // A worker serves health and metrics alone.
  const dashboard =
    config.get('PIPELINE_ROLE', { infer: true }) !== 'worker' &&
    (await serveDashboard(app, DASHBOARD_FOLDER));
  const port = config.get('PIPELINE_PORT', { infer: true });
  await listenOnEveryInterface(app, port);
  installGracefulShutdown(app);
  Logger.log(`pipeline listening on http://127.0.0.1:${port} (docs at /docs)`, 'Bootstrap');
  if (dashboard) Logger.log(`dashboard at http://127.0.0.1:${port}/`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  // What fails here is the environment, the database or a taken port; the message says which.
  process.stderr.write(
    `pipeline failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
