import { BadRequestException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PipelineConfig } from '../config/pipeline.config';
import { ApiPageSource } from './api-page.source';
import { CsvPageSource } from './csv-page.source';
import { PageSource } from './page-source';

/** Turns a requested source name into the source to read, from the operator's configuration. */
@Injectable()
export class PageSourceRegistry {
  constructor(
    private readonly api: ApiPageSource,
    private readonly config: ConfigService<PipelineConfig, true>,
  ) {}

  resolve(name: 'api' | 'csv'): PageSource {
    if (name === 'api') return this.api;
    const location = this.config.get('INGEST_CSV_PATH', { infer: true });
    if (!location)
      throw new BadRequestException('source=csv needs INGEST_CSV_PATH to name a CSV file or URL');
    return new CsvPageSource(location);
  }
}
