import { DynamicModule, Module } from '@nestjs/common';
import { HttpAppOptions, MetricsModule } from '@customer-pipeline/http-runtime';
import { MockApiConfigModule } from '../config/mock-api-config.module';
import { MockApiConfig } from '../config/mock-api.config';
import { CustomersModule } from '../customers/customers.module';
import { HealthModule } from '../health/health.module';

export const MOCK_API_DOCUMENT: HttpAppOptions = {
  title: 'Customer mock API',
  description: 'Serves a customer dataset, fixed or generated, with page/limit pagination.',
  version: '1.0',
};

@Module({})
export class AppModule {
  static forRoot(config: MockApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [MockApiConfigModule.forRoot(config), MetricsModule.forRoot(), CustomersModule, HealthModule],
    };
  }
}
