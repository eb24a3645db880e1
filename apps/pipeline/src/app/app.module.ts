import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createDataSourceOptions } from '@customer-pipeline/data-access';
import { MetricsModule, httpLoggingParams } from '@customer-pipeline/http-runtime';
import { LoggerModule } from 'nestjs-pino';
import { PipelineConfig, validatePipelineConfig } from '../config/pipeline.config';
import { AuthModule } from '../auth/auth.module';
import { CustomersModule } from '../customers/customers.module';
import { HealthModule } from '../health/health.module';
import { IngestModule } from '../ingest/ingest.module';
import { ScheduledIngestModule } from '../schedule/scheduled-ingest.module';
import { StatsModule } from '../stats/stats.module';

@Module({})
export class AppModule {
  /**
   * The whole pipeline. Configuration is read from the environment (and `.env`) when this is called,
   * not when the file is imported; `overrides` win over both, which is how tests point an app at their
   * own database and source. Tests also leave `.env` unread, so that a developer's settings cannot change
   * their outcome.
   */
  static forRoot(
    overrides: Partial<Record<keyof PipelineConfig, string>> = {},
    { readEnvFile = true }: { readEnvFile?: boolean } = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          ignoreEnvFile: !readEnvFile,
          validate: (environment) => validatePipelineConfig({ ...environment, ...overrides }),
        }),
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
            createDataSourceOptions({ url: config.get('DATABASE_URL', { infer: true }) }),
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
          }),
        }),
        AuthModule,
        CustomersModule,
        IngestModule,
        HealthModule,
        StatsModule,
        ScheduledIngestModule,
      ],
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
    };
  }
}
