import { IsIn, IsOptional, IsString } from 'class-validator';
import type { LevelWithSilent } from 'pino';
import { EnvVariable } from '../environment/env-variable.decorator';
import { HttpLoggingOptions, LOG_FORMATS, LOG_LEVELS, LogFormat } from './http-logging';

/** The logging variables every service reads; a service's configuration class extends this one. */
export class LoggingEnvironment {
  @EnvVariable('pino log level: fatal, error, warn, info, debug, trace or silent')
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LevelWithSilent = 'info';

  @EnvVariable('`json`, `pretty`, or `auto` (pretty on a terminal outside production)')
  @IsIn(LOG_FORMATS)
  LOG_FORMAT: LogFormat = 'auto';

  @EnvVariable('`production` turns off pretty logs in `auto` format')
  @IsOptional()
  @IsString()
  NODE_ENV?: string;
}

export function loggingOptionsOf(environment: LoggingEnvironment): HttpLoggingOptions {
  return { level: environment.LOG_LEVEL, format: environment.LOG_FORMAT, nodeEnv: environment.NODE_ENV };
}
