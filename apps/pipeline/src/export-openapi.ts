import { NestFactory } from '@nestjs/core';
import { createHttpAdapter, writeOpenApiDocument } from '@customer-pipeline/http-runtime';
import { AppModule } from './app/app.module';
import { pipelineDocument } from './app/configure-pipeline-http';

/**
 * `node dist/apps/pipeline/export-openapi.js <file>`: writes the pipeline's OpenAPI document, as served
 * with both API keys set (the fullest one), for `npm run lint` to check with Spectral. A preview-mode app
 * builds its controllers' metadata without instantiating a provider, so no database is needed.
 */
async function exportDocument(file: string): Promise<void> {
  const unusedDatabase = 'postgres://unused@127.0.0.1:1/unused';
  const app = await NestFactory.create(
    AppModule.forRoot({ DATABASE_URL: unusedDatabase }, { readEnvFile: false }),
    createHttpAdapter(),
    {
      preview: true,
      logger: false,
    },
  );
  writeOpenApiDocument(app, pipelineDocument({ read: true, ingest: true }), file);
  await app.close();
}

exportDocument(process.argv[2] ?? 'openapi.json').catch((error: unknown) => {
  process.stderr.write(`export failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
