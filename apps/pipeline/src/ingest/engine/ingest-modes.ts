import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IngestMode, IngestSourceRepository, RunSource } from '@customer-pipeline/data-access';
import { PipelineConfig } from '../../config/pipeline.config';
import { SourceClient } from '../sources/source-client';
import { IncrementalUnavailableError } from './ingest-errors';

export interface ModePlan {
  mode: IngestMode;
  /** Why the run reads another way than asked, for its notes. */
  note?: string;
}

/**
 * Decides how a run reads. `full` always can. `incremental` needs a source that lists what changed
 * (`updated_since`: configured, or discovered by asking) and a checkpoint to read on from; without a
 * checkpoint the first run reads in full. Without `updated_since` the run is refused, or read in full when
 * INGEST_INCREMENTAL_FALLBACK says so.
 */
@Injectable()
export class IngestModes {
  constructor(
    private readonly client: SourceClient,
    private readonly sources: IngestSourceRepository,
    private readonly config: ConfigService<PipelineConfig, true>,
  ) {}

  async plan(source: RunSource, mode: IngestMode): Promise<ModePlan> {
    if (mode === 'full') return { mode };
    const unavailable = await this.whyNoIncremental(source);
    if (unavailable) {
      if (this.config.get('INGEST_INCREMENTAL_FALLBACK', { infer: true }) === 'full')
        return { mode: 'full', note: `read in full, not incrementally: ${unavailable}` };
      throw new IncrementalUnavailableError(unavailable);
    }
    const { cursor } = await this.sources.ensure(source.kind, source.location);
    if (!cursor)
      return { mode: 'full', note: 'read in full: no run has committed a checkpoint for this source yet' };
    return { mode };
  }

  private async whyNoIncremental(source: RunSource): Promise<string | null> {
    if (source.kind !== 'api') return `a ${source.kind} source has no listing of changes`;
    switch (this.config.get('SOURCE_INCREMENTAL', { infer: true })) {
      case 'yes':
        return null;
      case 'no':
        return 'SOURCE_INCREMENTAL is no';
      default:
        return (await this.client.listsChanges(source.location))
          ? null
          : `${source.location} does not list customers by updated_since (set SOURCE_INCREMENTAL=yes if it does)`;
    }
  }
}
