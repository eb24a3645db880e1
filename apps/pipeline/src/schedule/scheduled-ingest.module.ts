import { Module } from '@nestjs/common';
import { DataAccessModule } from '@customer-pipeline/data-access';
import { IngestModule } from '../ingest/ingest.module';
import { ScheduledIngestService } from './scheduled-ingest.service';

@Module({
  imports: [IngestModule, DataAccessModule],
  providers: [ScheduledIngestService],
})
export class ScheduledIngestModule {}
