import { DynamicModule, Module } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { HttpMetrics } from './http-metrics';

/** A registry of the app's own (not prom-client's global one), so that apps in one test process stay apart. */
function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * The app's metrics registry, with the process's default metrics and HTTP request metrics; `configureHttpApp`
 * serves it at `/metrics`. Global, so that any feature module can inject `Registry` and add its own metrics.
 */
@Module({})
export class MetricsModule {
  static forRoot(): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      providers: [{ provide: Registry, useFactory: createRegistry }, HttpMetrics],
      exports: [Registry, HttpMetrics],
    };
  }
}
