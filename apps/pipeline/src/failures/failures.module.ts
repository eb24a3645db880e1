import { Module } from '@nestjs/common';
import { DataAccessModule } from '@customer-pipeline/data-access';
import { FailureSummaryService } from './failure-summary.service';
import { FailuresController } from './failures.controller';

/** Reading a run's quarantined records by rule. */
@Module({
  imports: [DataAccessModule],
  controllers: [FailuresController],
  providers: [FailureSummaryService],
})
export class FailuresModule {}
