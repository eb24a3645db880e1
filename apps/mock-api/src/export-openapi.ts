import { NestFactory } from '@nestjs/core';
import { createHttpAdapter, writeOpenApiDocument } from '@customer-pipeline/http-runtime';
import { AppModule, MOCK_API_DOCUMENT } from './app/app.module';
import { readMockApiConfig } from './config/mock-api.config';

/**
 * `node dist/apps/mock-api/export-openapi.js <file>`: writes the mock API's OpenAPI document for
 * `npm run lint` to check with Spectral, from a preview-mode app (controllers' metadata, no providers).
 */
async function exportDocument(file: string): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot(readMockApiConfig({})), createHttpAdapter(), {
    preview: true,
    logger: false,
  });
  writeOpenApiDocument(app, MOCK_API_DOCUMENT, file);
  await app.close();
}

exportDocument(process.argv[2] ?? 'openapi.json').catch((error: unknown) => {
  process.stderr.write(`export failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
