import { DynamicModule, Module } from '@nestjs/common';
import { MetricsModule, OpenApiDocumentOptions, httpLoggingParams } from '@customer-pipeline/http-runtime';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from '../admin/admin.module';
import { MockApiConfigModule } from '../config/mock-api-config.module';
import { MockApiConfig } from '../config/mock-api.config';
import { CustomersModule } from '../customers/customers.module';
import { HealthModule } from '../health/health.module';

export const MOCK_API_DOCUMENT: OpenApiDocumentOptions = {
  title: 'Customer mock API',
  description:
    'Serves a customer dataset, fixed or generated, with page/limit pagination, and fails on demand: ' +
    'injected 500/503s, latency, a rate limit, invalid or revised records, and an outage switch.',
  version: '1.0',
  tags: [
    { name: 'customers', description: 'The customer dataset, page by page, subject to the failure modes' },
    { name: 'health', description: 'Liveness, the dataset served and the failure modes in force' },
    { name: 'admin', description: 'Switches a test flips at run time' },
  ],
};

@Module({})
export class AppModule {
  static forRoot(config: MockApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MockApiConfigModule.forRoot(config),
        LoggerModule.forRoot(httpLoggingParams(config.logging)),
        MetricsModule.forRoot(),
        CustomersModule,
        HealthModule,
        AdminModule,
      ],
    };
  }
}
