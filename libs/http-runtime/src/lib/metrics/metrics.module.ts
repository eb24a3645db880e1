import { DynamicModule, Module } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';

/** A registry of the app's own (not prom-client's global one), so that apps in one test process stay apart. */
function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * `/metrics` in Prometheus format, the process's default metrics, and HTTP request metrics. Global, so that
 * any feature module can inject `Registry` and add its own metrics to the same page.
 */
@Module({})
export class MetricsModule {
  static forRoot(): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [{ provide: Registry, useFactory: createRegistry }, HttpMetrics],
      exports: [Registry, HttpMetrics],
    };
  }
}
