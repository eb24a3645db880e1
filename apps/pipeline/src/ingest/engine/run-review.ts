import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IngestRunRepository, IngestStagedPageRepository } from '@customer-pipeline/data-access';
import type { EntityManager } from 'typeorm';
import { PipelineConfig } from '../../config/pipeline.config';
import { GuardSettings, guardFindings } from './run-guards';
import type { MergeFacts, MergeReview } from './run-merge';
import type { RunState } from './run-state';

/** Gathers what the guards judge a run by, inside its merge transaction, and has them judge it. */
@Injectable()
export class RunReview {
  private readonly settings: GuardSettings;

  constructor(
    private readonly runs: IngestRunRepository,
    private readonly stagedPages: IngestStagedPageRepository,
    config: ConfigService<PipelineConfig, true>,
  ) {
    this.settings = {
      schemaDrift: config.get('INGEST_SCHEMA_DRIFT', { infer: true }),
      maxVolumeChange: config.get('INGEST_MAX_VOLUME_CHANGE', { infer: true }),
      volumeMinRecords: config.get('INGEST_VOLUME_MIN_RECORDS', { infer: true }),
      maxInvalidShare: config.get('INGEST_MAX_INVALID_SHARE', { infer: true }),
      maxDeleteShare: config.get('INGEST_MAX_DELETE_SHARE', { infer: true }),
    };
  }

  async review(run: RunState, facts: MergeFacts, manager: EntityManager): Promise<MergeReview> {
    // One after the other: they share the merge transaction's connection.
    const schema = await this.stagedPages.schemaOf(run.id, manager);
    const counts = await this.stagedPages.records(run.id, manager);
    const previous = await this.runs.findLatestSuccess(undefined, manager);
    const previousFull = await this.runs.findLatestSuccess('full', manager);
    const findings = guardFindings(
      {
        mode: run.mode,
        records: counts.records,
        // Records whose email another customer holds are quarantined too.
        failed: counts.failed + facts.totals.conflicts,
        deleting: facts.totals.deleted,
        storedBefore: facts.storedBefore,
        schema,
        previousSchema: previous?.schema ?? null,
        previousFullRecords: previousFull?.records_processed ?? null,
      },
      this.settings,
    );
    return { findings, schema };
  }
}
