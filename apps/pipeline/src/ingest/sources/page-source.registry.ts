import { BadRequestException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RunSource } from '@customer-pipeline/data-access';
import { resolve } from 'node:path';
import { PipelineConfig } from '../../config/pipeline.config';
import { CSV_PAGE_SIZE } from './csv-page.source';
import { SourceClient } from './source-client';

const URL_PATTERN = /^https?:\/\//i;

/** A CSV location as a run records it: a URL as given, a path made absolute from `base`. */
export function csvLocation(location: string, base: string = process.cwd()): string {
  return URL_PATTERN.test(location) ? location : resolve(base, location);
}

/** Turns a requested source name into what a run reads, from the operator's configuration. */
@Injectable()
export class PageSourceRegistry {
  constructor(
    private readonly client: SourceClient,
    private readonly config: ConfigService<PipelineConfig, true>,
  ) {}

  resolve(name: 'api' | 'csv'): RunSource {
    if (name === 'api')
      return { kind: 'api', location: this.client.location, pageLimit: this.client.pageLimit };
    const location = this.config.get('INGEST_CSV_PATH', { infer: true });
    if (!location)
      throw new BadRequestException('source=csv needs INGEST_CSV_PATH to name a CSV file or URL');
    return this.csv(location);
  }

  /** A CSV file or URL named by the caller (the command line). */
  csv(location: string, base?: string): RunSource {
    return { kind: 'csv', location: csvLocation(location, base), pageLimit: CSV_PAGE_SIZE };
  }
}
