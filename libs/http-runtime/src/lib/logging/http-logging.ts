import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { Options } from 'pino-http';
import type { DestinationStream, LevelWithSilent } from 'pino';
import { pathOf } from '../routing/url-path';

export const LOG_LEVELS: readonly LevelWithSilent[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];
export const LOG_FORMATS = ['json', 'pretty', 'auto'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface HttpLoggingOptions {
  level: LevelWithSilent;
  format: LogFormat;
  /** `NODE_ENV`: `production` keeps `auto` on JSON even on a terminal. */
  nodeEnv?: string;
  /** Where lines go instead of stdout; tests read them from here. */
  destination?: DestinationStream;
}

/** `auto` is for people at a terminal while developing; anything read by machines gets JSON. */
export function isPrettyLogFormat(options: Pick<HttpLoggingOptions, 'format' | 'nodeEnv'>): boolean {
  if (options.format !== 'auto') return options.format === 'pretty';
  return process.stdout.isTTY === true && options.nodeEnv !== 'production';
}

/**
 * nestjs-pino settings shared by both services. A request is logged as its id, method, path and status
 * only: no headers (they carry API keys), no query strings, no bodies, so no customer data reaches the
 * logs at any level. The id is the one `requestIdOf` gave the request.
 */
export function httpLoggingParams(options: HttpLoggingOptions): Params {
  const base: Options = {
    level: options.level,
    genReqId: (request) => request.id,
    serializers: {
      req: (request: IncomingMessage & { originalUrl?: string }) => ({
        id: request.id,
        method: request.method,
        path: pathOf(request.originalUrl ?? request.url ?? ''),
      }),
      res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
    },
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
  };
  // Every route, in the path syntax of Nest 11: nestjs-pino's default '*' becomes '/api/*' under the global
  // prefix, which Nest converts with a warning at every start.
  const forRoutes: Params['forRoutes'] = [{ path: '{*path}', method: RequestMethod.ALL }];
  if (options.destination) return { forRoutes, pinoHttp: [base, options.destination] };
  if (!isPrettyLogFormat(options)) return { forRoutes, pinoHttp: base };
  const pretty = { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname' } };
  return { forRoutes, pinoHttp: { ...base, transport: pretty } };
}
