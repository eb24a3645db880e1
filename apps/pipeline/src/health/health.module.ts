import { Module } from '@nestjs/common';
import { DataAccessModule } from '@customer-pipeline/data-access';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [DataAccessModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
