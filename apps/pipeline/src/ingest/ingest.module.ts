import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { DataAccessModule } from '@customer-pipeline/data-access';
import { IngestController } from './ingest.controller';
import { IngestHistoryService } from './ingest-history.service';
import { IngestRunService } from './ingest-run.service';
import { SourceClient } from './source-client';

@Module({
  imports: [HttpModule, DataAccessModule],
  controllers: [IngestController],
  providers: [IngestRunService, IngestHistoryService, SourceClient],
  exports: [IngestRunService],
})
export class IngestModule {}
