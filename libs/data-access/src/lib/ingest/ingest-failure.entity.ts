import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { numericAsNumber, storableJson, storableText } from '../database/column-transformers';

export const FAILURE_REASONS = ['validation', 'email_conflict', 'malformed'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** A source record that was not applied, kept whole with the reason, for an operator to inspect. */
@Entity({ name: 'ingest_failures' })
@Index('ingest_failures_run_id_idx', ['run_id', 'id'])
export class IngestFailureEntity {
  @PrimaryColumn({
    type: 'bigint',
    generated: 'identity',
    generatedIdentity: 'ALWAYS',
    transformer: numericAsNumber,
  })
  id!: number;

  @Column({ type: 'bigint', transformer: numericAsNumber })
  run_id!: number;

  @Column({ type: 'integer', nullable: true })
  page!: number | null;

  // Both come unchecked from the source and are kept as sent, except for characters PostgreSQL cannot
  // store: a record that breaks the contract must be quarantined, not fail its page and every later ingest.
  @Column({ type: 'text', nullable: true, transformer: storableText })
  customer_id!: string | null;

  @Column({ type: 'jsonb', transformer: storableJson })
  record!: unknown;

  @Column({ type: 'jsonb' })
  errors!: { field: string; messages: string[] }[];

  @Column({ type: 'varchar', length: 30 })
  reason!: FailureReason;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  created_at!: Date;
}
