import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  JOB_QUEUE_OPTIONS,
  ReadDatabaseModule,
  createDataSourceOptions,
} from '@customer-pipeline/data-access';
import { MetricsModule, httpLoggingParams } from '@customer-pipeline/http-runtime';
import { LoggerModule } from 'nestjs-pino';
import { PipelineConfig, validatePipelineConfig } from '../config/pipeline.config';
import { AuthModule } from '../auth/auth.module';
import { FixedWindowThrottlerStorage } from '../auth/fixed-window-throttler.storage';
import { ReadThrottlerGuard } from '../auth/read-throttler.guard';
import { CustomersModule } from '../customers/customers.module';
import { FailuresModule } from '../failures/failures.module';
import { HealthModule } from '../health/health.module';
import { IngestHttpModule } from '../ingest/ingest-http.module';
import { IngestModule } from '../ingest/ingest.module';
import { ScheduledIngestModule } from '../schedule/scheduled-ingest.module';
import { StatsModule } from '../stats/stats.module';

/** Settings of the job engine, for the data-access library's JobQueue, which cannot read the app's config. */
@Global()
@Module({
  providers: [
    {
      provide: JOB_QUEUE_OPTIONS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<PipelineConfig, true>) => ({
        scheduleCheckSeconds: config.get('INGEST_SCHEDULE_CHECK_S', { infer: true }),
      }),
    },
  ],
  exports: [JOB_QUEUE_OPTIONS],
})
class JobQueueOptionsModule {}

export interface AppModuleOptions {
  readEnvFile?: boolean;
  /** Set the INGEST_CRON schedule and run its ticks; off for the command line, which runs one ingest. */
  schedule?: boolean;
}

@Module({})
export class AppModule {
  /**
   * The whole pipeline. Configuration is read from the environment (and `.env`) when this is called,
   * not when the file is imported; `overrides` win over both, which is how tests point an app at their
   * own database and source. Tests also leave `.env` unread, so that a developer's settings cannot change
   * their outcome.
   */
  static async forRoot(
    overrides: Partial<Record<keyof PipelineConfig, string>> = {},
    { readEnvFile = true, schedule = true }: AppModuleOptions = {},
  ): Promise<DynamicModule> {
    let validated: PipelineConfig | undefined;
    // Awaited here, so that a bad configuration fails this call, and so that the role is known (from the
    // environment, `.env` and the overrides, validated) before the modules are chosen.
    const config = await ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      ignoreEnvFile: !readEnvFile,
      validate: (environment) => (validated = validatePipelineConfig({ ...environment, ...overrides })),
    });
    const servesApi = (validated as PipelineConfig).PIPELINE_ROLE !== 'worker';
    return {
      module: AppModule,
      imports: [
        config,
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<PipelineConfig, true>) =>
            httpLoggingParams({
              level: config.get('LOG_LEVEL', { infer: true }),
              format: config.get('LOG_FORMAT', { infer: true }),
              nodeEnv: config.get('NODE_ENV', { infer: true }),
            }),
        }),
        MetricsModule.forRoot(),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<PipelineConfig, true>) =>
            createDataSourceOptions({
              url: config.get('DATABASE_URL', { infer: true }),
              poolSize: config.get('DATABASE_POOL_SIZE', { infer: true }),
            }),
        }),
        ReadDatabaseModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<PipelineConfig, true>) => ({
            url: config.get('DATABASE_URL', { infer: true }),
            poolSize: config.get('DATABASE_READ_POOL_SIZE', { infer: true }),
            statementTimeoutMs: config.get('READ_STATEMENT_TIMEOUT_MS', { infer: true }),
          }),
        }),
        ThrottlerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<PipelineConfig, true>) => ({
            throttlers: [
              {
                ttl: config.get('THROTTLE_TTL_MS', { infer: true }),
                limit: config.get('THROTTLE_LIMIT', { infer: true }),
              },
            ],
            // The default key is a SHA-256 of the same text, computed on every request: a measurable share
            // of a by-id read. The text itself is as good a Map key, and short (the tracker is an address).
            generateKey: (context, tracker, name) =>
              `${context.getClass().name}-${context.getHandler().name}-${name}-${tracker}`,
            storage: new FixedWindowThrottlerStorage(),
          }),
        }),
        JobQueueOptionsModule,
        AuthModule,
        IngestModule,
        HealthModule,
        // A worker serves health and metrics alone.
        ...(servesApi ? [CustomersModule, StatsModule, IngestHttpModule, FailuresModule] : []),
        ...(schedule ? [ScheduledIngestModule] : []),
      ],
      providers: [{ provide: APP_GUARD, useClass: ReadThrottlerGuard }],
    };
  }
}
