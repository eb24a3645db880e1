import { Module } from '@nestjs/common';
import { DataAccessModule } from '@customer-pipeline/data-access';
import { IngestController } from './ingest.controller';
import { IngestHistoryService } from './ingest-history.service';
import { IngestMetrics } from './ingest-metrics';
import { IngestRunService } from './ingest-run.service';
import { ApiPageSource } from './api-page.source';
import { PageSourceRegistry } from './page-source.registry';
import { SourceClient } from './source-client';

@Module({
  imports: [DataAccessModule],
  controllers: [IngestController],
  providers: [
    IngestRunService,
    IngestHistoryService,
    IngestMetrics,
    SourceClient,
    ApiPageSource,
    PageSourceRegistry,
  ],
  exports: [IngestRunService, PageSourceRegistry],
})
export class IngestModule {}
