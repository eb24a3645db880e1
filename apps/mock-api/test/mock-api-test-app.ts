import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureHttpApp } from '@customer-pipeline/http-runtime';
import { AppModule, MOCK_API_DOCUMENT } from '../src/app/app.module';
import { readMockApiConfig } from '../src/config/mock-api.config';

/** The real application, configured exactly as `main.ts` does, from the environment given. */
export async function createMockApiTestApp(
  environment: Record<string, string> = {},
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(readMockApiConfig(environment))],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureHttpApp(app, MOCK_API_DOCUMENT);
  await app.init();
  return app;
}
