import { Module } from '@nestjs/common';
import { IngestController } from './ingest.controller';
import { IngestModule } from './ingest.module';
import { IngestRunsController } from './runs/ingest-runs.controller';

/** The ingest routes: start a run, read runs and quarantined records. */
@Module({
  imports: [IngestModule],
  controllers: [IngestController, IngestRunsController],
})
export class IngestHttpModule {}
