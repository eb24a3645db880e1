import { describeEnvironment, environmentTableRows } from '@customer-pipeline/http-runtime';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineConfig, validatePipelineConfig } from './pipeline.config';

const minimal = { DATABASE_URL: 'postgres://u@localhost/db' };

describe('PipelineConfig', () => {
  it('applies the defaults and converts numbers and lists', () => {
    const config = validatePipelineConfig({
      ...minimal,
      SOURCE_PAGE_LIMIT: '50',
      CORS_ORIGINS: 'https://a.io, https://b.io',
    });
    expect(config).toMatchObject({
      PIPELINE_PORT: 8000,
      SOURCE_URL: 'http://127.0.0.1:5000',
      SOURCE_PAGE_LIMIT: 50,
      INGEST_CONCURRENCY: 16,
      CORS_ORIGINS: ['https://a.io', 'https://b.io'],
    });
    expect(config.INGEST_API_KEY).toBeUndefined();
  });

  it('treats an empty value as unset', () => {
    const config = validatePipelineConfig({ ...minimal, PIPELINE_PORT: '', INGEST_CRON: '' });
    expect(config.PIPELINE_PORT).toBe(8000);
    expect(config.INGEST_CRON).toBeUndefined();
  });

  it('stops with one message that lists every bad variable', () => {
    const attempt = () =>
      validatePipelineConfig({
        PIPELINE_PORT: 'eighty',
        SOURCE_URL: 'not a url',
        SOURCE_PAGE_LIMIT: '500',
        INGEST_CRON: 'every day',
        INGEST_API_KEY: 'short',
        LOG_LEVEL: 'loud',
      });
    expect(attempt).toThrow(/^Invalid pipeline configuration:/);
    const message = (() => {
      try {
        attempt();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const name of [
      'PIPELINE_PORT',
      'DATABASE_URL',
      'SOURCE_URL',
      'SOURCE_PAGE_LIMIT',
      'INGEST_CRON',
      'INGEST_API_KEY',
      'LOG_LEVEL',
    ]) {
      expect(message).toContain(`  - ${name}:`);
    }
  });

  it('accepts a valid cron expression', () => {
    expect(validatePipelineConfig({ ...minimal, INGEST_CRON: '*/5 * * * *' }).INGEST_CRON).toBe(
      '*/5 * * * *',
    );
  });

  it('is documented in the README and .env.example, row for row', () => {
    const root = join(__dirname, '../../../..');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const variables = describeEnvironment(PipelineConfig);
    expect(variables.length).toBeGreaterThan(20);
    // Prettier pads table cells; compare rows cell by cell.
    const normalize = (row: string) => row.replace(/\s*\|\s*/g, '|').trim();
    const tableRows = new Set(readme.split('\n').map(normalize));
    const missing = environmentTableRows('pipeline', variables).filter(
      (row) => !tableRows.has(normalize(row)),
    );
    expect(missing).toEqual([]);
    expect(
      variables.filter((v) => !new RegExp(`^#? ?${v.name}=`, 'm').test(example)).map((v) => v.name),
    ).toEqual([]);
  });
});
