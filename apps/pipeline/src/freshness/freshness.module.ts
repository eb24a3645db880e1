import { Module } from '@nestjs/common';
import { DataAccessModule } from '@customer-pipeline/data-access';
import { Clock } from './clock';
import { FreshnessMetrics } from './freshness-metrics';
import { FreshnessService } from './freshness.service';

/** Freshness of the stored data against the schedule, for health, stats and `/metrics`, in every role. */
@Module({
  imports: [DataAccessModule],
  providers: [Clock, FreshnessService, FreshnessMetrics],
  exports: [FreshnessService],
})
export class FreshnessModule {}
