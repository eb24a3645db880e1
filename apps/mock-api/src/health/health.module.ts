import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AdminModule } from '../admin/admin.module';
import { CustomersModule } from '../customers/customers.module';
import { HealthController } from './health.controller';

@Module({
  imports: [CustomersModule, AdminModule, TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
})
export class HealthModule {}
