import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { DataAccessModule } from '@customer-pipeline/data-access';
import { IngestModule } from '../ingest/ingest.module';
import { ScheduledIngestService } from './scheduled-ingest.service';

@Module({
  imports: [ScheduleModule.forRoot(), IngestModule, DataAccessModule],
  providers: [ScheduledIngestService],
})
export class ScheduledIngestModule {}
