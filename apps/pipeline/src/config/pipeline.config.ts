import { Type, plainToInstance } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Max, Min, validateSync } from 'class-validator';

/**
 * Every environment variable the pipeline reads, with its type and default. Nothing else in the app reads
 * `process.env`: it asks `ConfigService<PipelineConfig, true>`.
 */
export class PipelineConfig {
  /** HTTP port of the pipeline API. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PIPELINE_PORT = 8000;

  /** PostgreSQL connection URL, e.g. postgres://user:password@host:5432/database. */
  @IsString()
  @IsNotEmpty()
  DATABASE_URL!: string;

  /** Base URL of the customer source API. */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  SOURCE_URL = 'http://127.0.0.1:5000';

  /** Records requested per source page. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  SOURCE_PAGE_LIMIT = 100;

  /** Milliseconds one source request may take before it counts as failed. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  SOURCE_TIMEOUT_MS = 10_000;

  /** Retries of one source request after a network error, timeout, 408, 429 or 5xx. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(20)
  SOURCE_RETRIES = 5;

  /** First backoff ceiling; it doubles per retry (full jitter). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SOURCE_RETRY_BASE_MS = 200;

  /** Largest backoff ceiling. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SOURCE_RETRY_MAX_MS = 5_000;

  /** A source's Retry-After is honoured up to this many milliseconds. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SOURCE_RETRY_AFTER_MAX_MS = 30_000;

  /** Source pages fetched at once when the source announces its total. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  INGEST_CONCURRENCY = 4;

  /** Hard stop for a source that never ends its listing. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  INGEST_MAX_PAGES = 100_000;

  /** CSV file path or http(s) URL read by `POST /api/ingest?source=csv`; unset disables that source. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  INGEST_CSV_PATH?: string;
}

/** Reads and checks the environment once at start-up; one error lists every bad variable. */
export function validatePipelineConfig(environment: Record<string, unknown>): PipelineConfig {
  const config = plainToInstance(PipelineConfig, environment, { enableImplicitConversion: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((error) => `  - ${Object.values(error.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid pipeline configuration:\n${lines.join('\n')}`);
  }
  return config;
}
