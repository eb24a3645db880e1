import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AxiosError, isAxiosError } from 'axios';
import { firstValueFrom } from 'rxjs';
import { PipelineConfig } from '../config/pipeline.config';
import { SourceError } from './source-error';

/** One page as the source sent it: records are still unchecked. */
export interface SourcePage {
  data: unknown[];
  total: number | null;
}

function describeFailure(error: AxiosError, page: number, timeoutMs: number): SourceError {
  if (error.response) {
    const status = error.response.status;
    return new SourceError(
      `source answered HTTP ${status} for page ${page}`,
      status >= 500 || status === 429,
    );
  }
  if (error.code === AxiosError.ECONNABORTED || error.code === AxiosError.ETIMEDOUT) {
    return new SourceError(`source timed out after ${timeoutMs} ms on page ${page}`, true);
  }
  return new SourceError(`source unreachable on page ${page}: ${error.code ?? error.message}`, true);
}

function parsePage(body: unknown, page: number): SourcePage {
  const envelope = body as { data?: unknown; total?: unknown } | null;
  if (typeof envelope !== 'object' || envelope === null || !Array.isArray(envelope.data)) {
    throw new SourceError(`source sent an invalid page ${page}: expected JSON {data: [...], total}`, false);
  }
  const total =
    Number.isInteger(envelope.total) && (envelope.total as number) >= 0 ? (envelope.total as number) : null;
  return { data: envelope.data, total };
}

/** Reads the customer source API page by page. */
@Injectable()
export class SourceClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  readonly pageLimit: number;

  constructor(
    private readonly http: HttpService,
    config: ConfigService<PipelineConfig, true>,
  ) {
    this.baseUrl = config.get('SOURCE_URL', { infer: true }).replace(/\/+$/, '');
    this.timeoutMs = config.get('SOURCE_TIMEOUT_MS', { infer: true });
    this.pageLimit = config.get('SOURCE_PAGE_LIMIT', { infer: true });
  }

  async fetchPage(page: number): Promise<SourcePage> {
    try {
      const response = await firstValueFrom(
        this.http.get<unknown>(`${this.baseUrl}/api/customers`, {
          params: { page, limit: this.pageLimit },
          timeout: this.timeoutMs,
          responseType: 'text',
          transformResponse: (body: string) => body,
        }),
      );
      return parsePage(JSON.parse(response.data as string), page);
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new SourceError(`source sent an invalid page ${page}: the body is not JSON`, false);
      }
      if (isAxiosError(error)) throw describeFailure(error, page, this.timeoutMs);
      throw error;
    }
  }
}
