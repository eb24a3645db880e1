import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { freePort } from './free-port';

export type PageAnswer =
  { status: number; body: unknown; headers?: Record<string, string> } | { raw: string } | { hang: true };

/**
 * A stand-in source whose answer to each page is scripted by the test, for failures the real mock API
 * does not produce on cue: a 5xx on page 3, a body that is not JSON, a request that never returns.
 */
export class ScriptedSource {
  readonly requests: number[] = [];
  /** When each request arrived (ms since epoch), in order. */
  readonly arrivals: number[] = [];
  /** Most requests in flight at once. */
  peakConcurrency = 0;
  /** Whether `/api/health` answers 200. */
  healthy = true;
  /** Milliseconds every answer waits, to make concurrency observable. */
  latencyMs = 0;
  private inFlight = 0;
  private server?: Server;
  url = '';

  constructor(private readonly answer: (page: number, limit: number, query: URLSearchParams) => PageAnswer) {}

  async start(): Promise<this> {
    const port = await freePort();
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://source');
    if (url.pathname === '/api/health') {
      response.statusCode = this.healthy ? 200 : 503;
      response.end(JSON.stringify({ status: this.healthy ? 'ok' : 'down' }));
      return;
    }
    const query = url.searchParams;
    const page = Number(query.get('page') ?? 1);
    this.requests.push(page);
    this.arrivals.push(Date.now());
    this.inFlight++;
    this.peakConcurrency = Math.max(this.peakConcurrency, this.inFlight);
    response.on('close', () => this.inFlight--);
    setTimeout(() => this.respond(page, Number(query.get('limit') ?? 10), query, response), this.latencyMs);
  }

  private respond(page: number, limit: number, query: URLSearchParams, response: ServerResponse): void {
    const answer = this.answer(page, limit, query);
    if ('hang' in answer) return;
    response.setHeader('content-type', 'application/json');
    if ('raw' in answer) {
      response.end(answer.raw);
      return;
    }
    response.statusCode = answer.status;
    for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
    response.end(JSON.stringify(answer.body));
  }
}

/** Pages of a plain list, shaped as the source API shapes them. */
export function pageOf<T>(items: T[], page: number, limit: number): PageAnswer {
  const data = items.slice((page - 1) * limit, page * limit);
  return { status: 200, body: { data, total: items.length, page, limit } };
}
