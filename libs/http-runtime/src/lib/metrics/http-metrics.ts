import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
   * Serves the registry in Prometheus format. A route of Fastify's own, outside Nest's router: Prometheus
   * scrapes the root path, and no API prefix, guard, throttle or API key applies to it.
   */
  readonly scrape = async (_request: FastifyRequest, reply: FastifyReply): Promise<string> => {
    reply.header('Cache-Control', 'no-store').type(this.registry.contentType);
    return this.registry.metrics();
  };

  /**
   * Fastify's `onResponse` hook: it runs for every answer, those refused before any route ran (a body too
   * large, a path that does not exist) included.
   */
  readonly observe = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      status_code: String(reply.statusCode),
    };
    this.requests.inc(labels);
    this.duration.observe(labels, reply.elapsedTime / 1000);
    done();
  };
}
