import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { numericAsNumber } from '../database/column-transformers';

@Entity({ name: 'customers' })
@Index('customers_email_lower_key', { synchronize: false })
export class CustomerEntity {
  @PrimaryColumn({ type: 'varchar', length: 50 })
  customer_id!: string;

  @Column({ type: 'varchar', length: 100 })
  first_name!: string;

  @Column({ type: 'varchar', length: 100 })
  last_name!: string;

  @Column({ type: 'varchar', length: 255 })
  email!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone!: string | null;

  @Column({ type: 'text', nullable: true })
  address!: string | null;

  @Column({ type: 'date', nullable: true })
  date_of_birth!: string | null;

  @Column({ type: 'decimal', precision: 15, scale: 2, nullable: true, transformer: numericAsNumber })
  account_balance!: number | null;

  /** As the source gave it, in UTC; written on insert only. */
  @Column({ type: 'timestamp', nullable: true })
  created_at!: Date | null;

  /** Set by this system whenever a stored value really changes. */
  @Column({ type: 'timestamptz' })
  updated_at!: Date;

  /** The source's own `updated_at`, as it sent it; what the API serves as `updated_at`. */
  @Column({ type: 'timestamptz', nullable: true })
  source_updated_at!: Date | null;

  /** When a full run found the source no longer has this customer; null while it is live. */
  @Column({ type: 'timestamptz', nullable: true })
  deleted_at!: Date | null;

  /** The source it was last read from (`ingest_sources`). */
  @Column({ type: 'integer', nullable: true })
  source_id!: number | null;

  /** The run that last changed it (inserted, updated, deleted or restored it). */
  @Column({ type: 'bigint', nullable: true, transformer: numericAsNumber })
  last_run_id!: number | null;
}
