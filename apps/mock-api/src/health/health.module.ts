import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { HealthController } from './health.controller';

@Module({
  imports: [CustomersModule],
  controllers: [HealthController],
})
export class HealthModule {}
