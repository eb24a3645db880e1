import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { CustomersModule } from '../customers/customers.module';
import { HealthController } from './health.controller';

@Module({
  imports: [CustomersModule, AdminModule],
  controllers: [HealthController],
})
export class HealthModule {}
