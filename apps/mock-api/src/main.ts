import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  createHttpAdapter,
  installGracefulShutdown,
  listenOnEveryInterface,
} from '@customer-pipeline/http-runtime';
import { AppModule } from './app/app.module';
import { configureMockApiHttp } from './app/configure-mock-api-http';
import { MockApiConfig, readMockApiConfig } from './config/mock-api.config';

function describeDataset(config: MockApiConfig): string {
  return config.generatedCustomers === null
    ? 'the customer fixture'
    : `${config.generatedCustomers} generated customers (seed ${config.seed}, revision ${config.revision}: ` +
        `change ${config.changeRate}, delete ${config.deleteRate}, restore ${config.restoreRate}, add ${config.addRate})`;
}

async function bootstrap(): Promise<void> {
  const config = readMockApiConfig();
  const app = await NestFactory.create(AppModule.forRoot(config), createHttpAdapter(), {
    bufferLogs: true,
  });
  configureMockApiHttp(app);
  await listenOnEveryInterface(app, config.port);
  installGracefulShutdown(app);
  Logger.log(
    {
      failure_rate: config.failureRate,
      latency_ms: config.latencyMs,
      rate_limit: config.rateLimit,
      invalid_rate: config.invalidRate,
    },
    `mock-api serving ${describeDataset(config)} on http://127.0.0.1:${config.port} (docs at /docs)`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  // What fails here is the environment or a taken port; the message says which, a stack trace adds noise.
  process.stderr.write(
    `mock-api failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
