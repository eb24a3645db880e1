import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createHttpAdapter, initHttpApp } from '@customer-pipeline/http-runtime';
import { AppModule } from '../src/app/app.module';
import { configureMockApiHttp } from '../src/app/configure-mock-api-http';
import { readMockApiConfig } from '../src/config/mock-api.config';

/** The real application, configured exactly as `main.ts` does, from the environment given. */
export async function createMockApiTestApp(
  environment: Record<string, string> = {},
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(readMockApiConfig({ LOG_LEVEL: 'silent', ...environment }))],
  }).compile();
  const app = moduleRef.createNestApplication(createHttpAdapter(), { bufferLogs: true });
  configureMockApiHttp(app);
  await initHttpApp(app);
  return app;
}
