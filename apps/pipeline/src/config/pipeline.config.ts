import { Type, plainToInstance } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, IsUrl, Max, Min, validateSync } from 'class-validator';

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
