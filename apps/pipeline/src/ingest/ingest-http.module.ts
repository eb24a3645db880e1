import { Module } from '@nestjs/common';
import { IngestController } from './ingest.controller';
import { IngestModule } from './ingest.module';

/** The ingest routes: start a run, read runs and quarantined records. */
@Module({
  imports: [IngestModule],
  controllers: [IngestController],
})
export class IngestHttpModule {}
