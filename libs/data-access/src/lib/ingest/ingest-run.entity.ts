import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericAsNumber } from '../database/column-transformers';

export const INGEST_RUN_STATUSES = ['running', 'success', 'failed', 'interrupted'] as const;
export type IngestRunStatus = (typeof INGEST_RUN_STATUSES)[number];

export const INGEST_TRIGGERS = ['api', 'cli', 'schedule'] as const;
export type IngestTrigger = (typeof INGEST_TRIGGERS)[number];

@Entity({ name: 'ingest_runs' })
export class IngestRunEntity {
  @PrimaryColumn({
    type: 'bigint',
    generated: 'identity',
    generatedIdentity: 'ALWAYS',
    transformer: numericAsNumber,
  })
  id!: number;

  @Column({ type: 'varchar', length: 20 })
  trigger!: IngestTrigger;

  @Column({ type: 'varchar', length: 20 })
  status!: IngestRunStatus;

  @Column({ type: 'varchar', length: 20, default: 'api' })
  source_kind!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  started_at!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finished_at!: Date | null;

  /** Pages the source announced (from its `total`), when it announced one. */
  @Column({ type: 'integer', nullable: true })
  pages_total!: number | null;

  @Column({ type: 'integer', default: 0 })
  pages_fetched!: number;

  /** Records the source said it holds, to compare with what was read. */
  @Column({ type: 'integer', nullable: true })
  source_total!: number | null;

  @Column({ type: 'integer', default: 0 })
  records_processed!: number;

  @Column({ type: 'integer', default: 0 })
  records_inserted!: number;

  @Column({ type: 'integer', default: 0 })
  records_updated!: number;

  @Column({ type: 'integer', default: 0 })
  records_unchanged!: number;

  @Column({ type: 'integer', default: 0 })
  records_failed!: number;

  /** Records superseded by a later record with the same customer_id in the same run. */
  @Column({ type: 'integer', default: 0 })
  records_duplicate!: number;

  @Column({ type: 'integer', default: 0 })
  retries!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
