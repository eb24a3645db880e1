import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureHttpApp } from '@customer-pipeline/http-runtime';
import { AppModule, MOCK_API_DOCUMENT } from './app/app.module';
import { readMockApiConfig } from './config/mock-api.config';

async function bootstrap(): Promise<void> {
  const config = readMockApiConfig();
  const app = await NestFactory.create(AppModule.forRoot(config));
  configureHttpApp(app, MOCK_API_DOCUMENT);
  await app.listen(config.port);
  const dataset =
    config.generatedCustomers === null
      ? 'the customer fixture'
      : `${config.generatedCustomers} generated customers (seed ${config.seed})`;
  Logger.log(`mock-api serving ${dataset} on http://127.0.0.1:${config.port} (docs at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  // What fails here is the environment or a taken port; the message says which, a stack trace adds noise.
  Logger.error(error instanceof Error ? error.message : String(error), 'Bootstrap');
  process.exitCode = 1;
});
