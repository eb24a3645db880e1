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
}
