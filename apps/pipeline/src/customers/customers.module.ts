import { Module } from '@nestjs/common';
import { DataAccessModule } from '@customer-pipeline/data-access';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';

@Module({
  imports: [DataAccessModule],
  controllers: [CustomersController],
  providers: [CustomersService],
})
export class CustomersModule {}
