import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, Registry } from 'prom-client';

export const METRICS_PATH = '/metrics';

/** Label of requests that matched no route: raw paths would let any caller mint new series. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Counts every HTTP request by method, route pattern and status, and times it. */
@Injectable()
export class HttpMetrics {
  private readonly requests: Counter<'method' | 'route' | 'status_code'>;
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(private readonly registry: Registry) {
    const labelNames = ['method', 'route', 'status_code'] as const;
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to finishing its answer, by method, route pattern and status code',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
      registers: [registry],
    });
  }

  /**
   * Serves the registry in Prometheus format. Mounted on Express itself, outside Nest's router: Prometheus
   * scrapes the root path, and no API prefix, guard, throttle or API key applies to it.
   */
  readonly scrape = async (_request: Request, response: Response): Promise<void> => {
    response.setHeader('Cache-Control', 'no-store');
    response.type(this.registry.contentType).send(await this.registry.metrics());
  };

  /** Express middleware; mounted first so that it also sees requests refused before any route runs. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const stopTimer = this.duration.startTimer();
    response.once('finish', () => {
      const labels = {
        method: request.method,
        route: request.route ? `${request.baseUrl}${request.route.path}` : UNMATCHED_ROUTE,
        status_code: String(response.statusCode),
      };
      this.requests.inc(labels);
      stopTimer(labels);
    });
    next();
  };
}
