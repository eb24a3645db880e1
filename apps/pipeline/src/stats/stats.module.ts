import { Module } from '@nestjs/common';
import { DataAccessModule } from '@customer-pipeline/data-access';
import { FreshnessModule } from '../freshness/freshness.module';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

@Module({
  imports: [DataAccessModule, FreshnessModule],
  controllers: [StatsController],
  providers: [StatsService],
})
export class StatsModule {}
