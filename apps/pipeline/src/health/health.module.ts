import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DataAccessModule } from '@customer-pipeline/data-access';
import { FreshnessModule } from '../freshness/freshness.module';
import { IngestModule } from '../ingest/ingest.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { ReadinessService } from './readiness.service';

@Module({
  imports: [
    DataAccessModule,
    IngestModule,
    FreshnessModule,
    TerminusModule.forRoot({ logger: false }),
    HttpModule,
  ],
  controllers: [HealthController],
  providers: [HealthService, ReadinessService],
})
export class HealthModule {}
