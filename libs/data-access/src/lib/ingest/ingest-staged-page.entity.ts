import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CustomerRecord } from '@customer-pipeline/contracts';
import { numericAsNumber } from '../database/column-transformers';

/**
 * One fetched page of a run, validated and waiting to be merged. Customers only change when the whole run
 * is merged in one transaction; until then a failed or killed run keeps its pages here and the next run
 * resumes from them instead of fetching them again.
 */
@Entity({ name: 'ingest_staged_pages' })
export class IngestStagedPageEntity {
  @PrimaryColumn({ type: 'bigint', transformer: numericAsNumber })
  run_id!: number;

  @PrimaryColumn({ type: 'integer' })
  page!: number;

  @Column({ type: 'json' })
  records!: CustomerRecord[];

  @Column({ type: 'integer' })
  record_count!: number;

  @Column({ type: 'integer' })
  failed_count!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  read_at!: Date;

  /** Digest of the page's customer ids in order: two neighbouring pages with one digest repeat each other. */
  @Column({ type: 'text', nullable: true })
  ids_digest!: string | null;

  /** Digest of the page as the source sent it: a resumed run compares it with a fresh read of the page. */
  @Column({ type: 'text', nullable: true })
  content_digest!: string | null;

  @Column({ type: 'integer', default: 0 })
  without_offset_count!: number;
}
