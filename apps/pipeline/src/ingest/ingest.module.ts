import { Module } from '@nestjs/common';
import { DataAccessModule } from '@customer-pipeline/data-access';
import { InstanceHeartbeat } from './engine/instance-heartbeat';
import { IngestMetrics } from './engine/ingest-metrics';
import { IngestModes } from './engine/ingest-modes';
import { IngestRunService } from './engine/ingest-run.service';
import { IngestWorkers } from './engine/ingest-workers.service';
import { JobSupervisor } from './engine/job-supervisor';
import { PageStager } from './engine/page-stager';
import { RangeWorker } from './engine/range-worker';
import { RunCoordinator } from './engine/run-coordinator';
import { RunEvents } from './engine/run-events';
import { RunMergeFactory } from './engine/run-merge';
import { RunReview } from './engine/run-review';
import { IngestHistoryService } from './runs/ingest-history.service';
import { PageSourceRegistry } from './sources/page-source.registry';
import { SourceClient } from './sources/source-client';

/**
 * The ingest engine and its history, in every role: `api` processes queue runs and read their history,
 * `worker` processes run their jobs. The routes are in `IngestHttpModule`, which only HTTP roles load.
 */
@Module({
  imports: [DataAccessModule],
  providers: [
    IngestRunService,
    IngestHistoryService,
    IngestMetrics,
    IngestModes,
    IngestWorkers,
    InstanceHeartbeat,
    JobSupervisor,
    PageStager,
    RangeWorker,
    RunCoordinator,
    RunEvents,
    RunMergeFactory,
    RunReview,
    SourceClient,
    PageSourceRegistry,
  ],
  exports: [IngestRunService, IngestHistoryService, PageSourceRegistry],
})
export class IngestModule {}
