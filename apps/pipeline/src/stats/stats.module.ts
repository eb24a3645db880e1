import { Module } from '@nestjs/common';
import { DataAccessModule } from '@customer-pipeline/data-access';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

@Module({
  imports: [DataAccessModule],
  controllers: [StatsController],
  providers: [StatsService],
})
export class StatsModule {}
