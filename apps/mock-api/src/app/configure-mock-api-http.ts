import { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { configureHttpApp } from '@customer-pipeline/http-runtime';
import { MOCK_API_DOCUMENT } from './app.module';

/** The mock API's HTTP setup, shared by `main.ts` and the tests so that both run the production wiring. */
export function configureMockApiHttp(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  configureHttpApp(app, MOCK_API_DOCUMENT);
}
