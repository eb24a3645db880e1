import { DynamicModule, Module } from '@nestjs/common';
import { MOCK_API_CONFIG, MockApiConfig } from './mock-api.config';

/** Makes the configuration read at start-up injectable everywhere as `MOCK_API_CONFIG`. */
@Module({})
export class MockApiConfigModule {
  static forRoot(config: MockApiConfig): DynamicModule {
    return {
      module: MockApiConfigModule,
      global: true,
      providers: [{ provide: MOCK_API_CONFIG, useValue: config }],
      exports: [MOCK_API_CONFIG],
    };
  }
}
