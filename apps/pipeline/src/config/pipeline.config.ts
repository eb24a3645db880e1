import { EnvVariable, LoggingEnvironment, validateEnvironment } from '@customer-pipeline/http-runtime';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
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
import { parseExpression } from 'cron-parser';

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

/** Five fields, minute to weekday, read by cron-parser as pg-boss reads them: pg-boss ticks once a minute at most. */
function isCronExpression(value: unknown): boolean {
  const text = String(value).trim();
  if (text.split(/\s+/).length !== 5) return false;
  try {
    parseExpression(text, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

/** A duration as people write it: `90s`, `15m`, `1h`, `2d`. */
const DURATION = /^(\d+)(s|m|h|d)$/;
const DURATION_UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds in a duration that the configuration has validated. */
export function durationMs(text: string): number {
  const [, amount, unit] = DURATION.exec(text) as RegExpExecArray;
  return Number(amount) * DURATION_UNIT_MS[unit];
}

/** What one build of the pipeline does in this process: serve HTTP, run jobs, or both. */
export const PIPELINE_ROLES = ['all', 'api', 'worker'] as const;
export type PipelineRole = (typeof PIPELINE_ROLES)[number];

/** A process is taken for dead after missing this many heartbeats; fewer would make a busy one look dead. */
const HEARTBEATS_BEFORE_DEAD = 3;

const AtLeastThreeHeartbeats = () =>
  ValidateBy({
    name: 'atLeastThreeHeartbeats',
    validator: {
      validate: (value, args) =>
        typeof value === 'number' &&
        value >= HEARTBEATS_BEFORE_DEAD * (args?.object as PipelineConfig).INGEST_HEARTBEAT_MS,
      defaultMessage: () =>
        `INGEST_HOLDER_TIMEOUT_MS must be at least ${HEARTBEATS_BEFORE_DEAD} times INGEST_HEARTBEAT_MS`,
    },
  });

const IsCronExpression = () =>
  ValidateBy({
    name: 'isCronExpression',
    validator: {
      validate: isCronExpression,
      defaultMessage: (args) =>
        `${args?.property} must be a five-field cron expression (minute hour day month weekday)`,
    },
  });

/**
 * Every environment variable the pipeline reads, with its type, default and description. Nothing else in
 * the app reads `process.env`: it asks `ConfigService<PipelineConfig, true>`.
 */
export class PipelineConfig extends LoggingEnvironment {
  @EnvVariable(
    '`all` (HTTP and jobs), `api` (HTTP, enqueues runs) or `worker` (runs jobs; health and metrics)',
  )
  @IsIn(PIPELINE_ROLES)
  PIPELINE_ROLE: PipelineRole = 'all';

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

  @EnvVariable('connections of the pool for ingests, runs, stats and health (see Sizing the pools)')
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(200)
  DATABASE_POOL_SIZE: number = 10;

  @EnvVariable("connections of the read API's own pool; a quarter for searches, an eighth for exports")
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_READ_POOL_SIZE: number = 10;

  @EnvVariable('milliseconds a read statement may run before it is cancelled (then 503)')
  @Type(() => Number)
  @IsInt()
  @Min(100)
  READ_STATEMENT_TIMEOUT_MS: number = 5_000;

  @EnvVariable('seconds a client may reuse a customers answer without revalidating it (`Cache-Control`)')
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400)
  READ_CACHE_MAX_AGE_SECONDS: number = 0;

  @EnvVariable('base URL of the customer source API')
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  SOURCE_URL: string = 'http://127.0.0.1:5000';

  @EnvVariable(
    'whether the source lists changes by `updated_since`: `auto` (ask it), `yes` or `no`; incremental runs need it',
  )
  @IsIn(['auto', 'yes', 'no'])
  SOURCE_INCREMENTAL: 'auto' | 'yes' | 'no' = 'auto';

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
  @Max(30)
  SOURCE_RETRIES: number = 10;

  @EnvVariable('first backoff ceiling in ms; it doubles per retry, and each wait is half to all of it')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SOURCE_RETRY_BASE_MS: number = 1_000;

  @EnvVariable('largest backoff ceiling in ms')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SOURCE_RETRY_MAX_MS: number = 10_000;

  @EnvVariable("cap in ms on a source's Retry-After")
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SOURCE_RETRY_AFTER_MAX_MS: number = 30_000;

  @EnvVariable('page ranges one worker process reads at once (each range one page at a time)')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  INGEST_CONCURRENCY: number = 16;

  @EnvVariable('pages per range job, when the source announces its total')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  INGEST_RANGE_PAGES: number = 10;

  @EnvVariable('times a failed range job is retried (source down past its retries, a process gone)')
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(20)
  INGEST_RANGE_RETRIES: number = 5;

  @EnvVariable('seconds before a range job is retried; doubles on each further retry')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(600)
  INGEST_RANGE_RETRY_DELAY_S: number = 5;

  @EnvVariable("times a run's coordinator is taken over after its process died, before the run fails")
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(20)
  INGEST_RUN_RETRIES: number = 5;

  @EnvVariable(
    'cron expression for scheduled incremental ingests, beside INGEST_CRON for full ones; unset: none',
  )
  @IsOptional()
  @IsCronExpression()
  INGEST_CRON_INCREMENTAL?: string;

  @EnvVariable('seconds between two looks at the schedule: a scheduled run starts at most this late')
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(45)
  INGEST_SCHEDULE_CHECK_S: number = 30;

  @EnvVariable('ms between two looks for new jobs when a worker is idle')
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  INGEST_JOB_POLL_MS: number = 500;

  @EnvVariable('ms between two heartbeats of a process, which list the jobs it holds')
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  INGEST_HEARTBEAT_MS: number = 2_000;

  @EnvVariable('ms without a heartbeat after which a process is taken for dead and its jobs handed on')
  @Type(() => Number)
  @IsInt()
  @AtLeastThreeHeartbeats()
  INGEST_HOLDER_TIMEOUT_MS: number = 10_000;

  @EnvVariable(
    'an incremental run of a source that cannot list changes: `refuse` it (409), or read it in `full`',
  )
  @IsIn(['refuse', 'full'])
  INGEST_INCREMENTAL_FALLBACK: 'refuse' | 'full' = 'refuse';

  @EnvVariable('how far before its checkpoint an incremental run reads again (late commits, clock skew)')
  @Matches(DURATION, { message: 'INGEST_LOOKBACK must be a duration such as 90s, 30m, 6h or 2d' })
  INGEST_LOOKBACK: string = '5m';

  @EnvVariable('schema drift against the last successful run: `warn` records it, `review` holds the run')
  @IsIn(['warn', 'review'])
  INGEST_SCHEMA_DRIFT: 'warn' | 'review' = 'warn';

  @EnvVariable("largest share by which a full run's record count may differ from the last full run's")
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  INGEST_MAX_VOLUME_CHANGE: number = 0.3;

  @EnvVariable('the volume guard looks only when the last successful full run read at least this many')
  @Type(() => Number)
  @IsInt()
  @Min(0)
  INGEST_VOLUME_MIN_RECORDS: number = 1_000;

  @EnvVariable("largest share of a run's records that may be quarantined before it is held")
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  INGEST_MAX_INVALID_SHARE: number = 0.2;

  @EnvVariable('largest share of the stored customers a full run may mark deleted before it is held')
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  INGEST_MAX_DELETE_SHARE: number = 0.1;

  @EnvVariable('oldest staged pages a resumed run may reuse (`30m`, `6h`, `2d`); older ones are read again')
  @Matches(DURATION, { message: 'INGEST_RESUME_MAX_AGE must be a duration such as 90s, 30m, 6h or 2d' })
  INGEST_RESUME_MAX_AGE: string = '1h';

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
