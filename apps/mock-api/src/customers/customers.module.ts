import { Module } from '@nestjs/common';
import { MOCK_API_CONFIG, MockApiConfig } from '../config/mock-api.config';
import { FaultsModule } from '../faults/faults.module';
import { CustomerSource } from './customer-source';
import { CustomersController } from './customers.controller';
import { FixtureCustomerSource } from './fixture-customer.source';
import { GeneratedCustomerSource } from './generated-customer.source';

export function createCustomerSource(config: MockApiConfig): CustomerSource {
  return config.generatedCustomers === null
    ? new FixtureCustomerSource()
    : new GeneratedCustomerSource(config.generatedCustomers, config.seed, {
        invalidRate: config.invalidRate,
        revision: config.revision,
        changeRate: config.changeRate,
        deleteRate: config.deleteRate,
        restoreRate: config.restoreRate,
        addRate: config.addRate,
      });
}

@Module({
  imports: [FaultsModule],
  controllers: [CustomersController],
  providers: [{ provide: CustomerSource, inject: [MOCK_API_CONFIG], useFactory: createCustomerSource }],
  exports: [CustomerSource],
})
export class CustomersModule {}
