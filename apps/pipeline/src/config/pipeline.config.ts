import { EnvVariable, LoggingEnvironment, validateEnvironment } from '@customer-pipeline/http-runtime';
import { Transform, Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MinLength,
  ValidateBy,
  Min,
} from 'class-validator';
import { CronTime } from 'cron';

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

function isCronExpression(value: unknown): boolean {
  try {
    new CronTime(String(value));
    return true;
  } catch {
    return false;
  }
}

const IsCronExpression = () =>
  ValidateBy({
    name: 'isCronExpression',
    validator: { validate: isCronExpression, defaultMessage: () => 'INGEST_CRON must be a cron expression' },
  });

/**
 * Every environment variable the pipeline reads, with its type, default and description. Nothing else in
 * the app reads `process.env`: it asks `ConfigService<PipelineConfig, true>`.
 */
export class PipelineConfig extends LoggingEnvironment {
  @EnvVariable('HTTP port of the pipeline API')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PIPELINE_PORT: number = 8000;

  @EnvVariable('PostgreSQL URL; `npm start`/`npm test` provide an embedded one when unset')
  @IsString()
  @IsNotEmpty()
  DATABASE_URL!: string;

  @EnvVariable('base URL of the customer source API')
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  SOURCE_URL: string = 'http://127.0.0.1:5000';

  @EnvVariable('records requested per source page (1-100)')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  SOURCE_PAGE_LIMIT: number = 100;

  @EnvVariable('milliseconds one source request may take')
  @Type(() => Number)
  @IsInt()
  @Min(100)
  SOURCE_TIMEOUT_MS: number = 10_000;

  @EnvVariable('retries of a source request after a network error, timeout, 408, 429 or 5xx')
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(20)
  SOURCE_RETRIES: number = 5;

  @EnvVariable('first backoff ceiling in ms; it doubles per retry, with full jitter')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SOURCE_RETRY_BASE_MS: number = 200;

  @EnvVariable('largest backoff ceiling in ms')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SOURCE_RETRY_MAX_MS: number = 5_000;

  @EnvVariable("cap in ms on a source's Retry-After")
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SOURCE_RETRY_AFTER_MAX_MS: number = 30_000;

  @EnvVariable('source pages fetched at once when the source announces its total')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  INGEST_CONCURRENCY: number = 16;

  @EnvVariable('hard stop for a source that never ends its listing')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  INGEST_MAX_PAGES: number = 100_000;

  @EnvVariable('CSV file path or http(s) URL read by `POST /api/ingest?source=csv`')
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  INGEST_CSV_PATH?: string;

  @EnvVariable('cron expression for scheduled ingests (e.g. `0 */6 * * *`); unset: none')
  @IsOptional()
  @IsCronExpression()
  INGEST_CRON?: string;

  @EnvVariable('when set, write routes (`POST /api/ingest`) need `Authorization: Bearer <key>`')
  @IsOptional()
  @IsString()
  @MinLength(16)
  INGEST_API_KEY?: string;

  @EnvVariable('when set, read routes need `Authorization: Bearer <key>` too')
  @IsOptional()
  @IsString()
  @MinLength(16)
  READ_API_KEY?: string;

  @EnvVariable('requests per client and window on the read routes')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  THROTTLE_LIMIT: number = 300;

  @EnvVariable('throttling window in ms')
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  THROTTLE_TTL_MS: number = 60_000;

  @EnvVariable('largest accepted request body, e.g. `100kb`')
  @IsString()
  @Matches(/^\d+(b|kb|mb)$/i)
  BODY_LIMIT: string = '100kb';

  @EnvVariable('comma-separated origins allowed by CORS; unset: CORS off')
  @IsOptional()
  @Transform(toList)
  @IsString({ each: true })
  CORS_ORIGINS?: string[];
}

export function validatePipelineConfig(environment: Record<string, unknown>): PipelineConfig {
  return validateEnvironment(PipelineConfig, environment, 'pipeline');
}
