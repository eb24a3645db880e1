import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customers the source no longer has are marked deleted, not removed, and every customer says where it
 * came from:
 * - `deleted_at`: set by a full run that did not see the customer, cleared when a run sees it again;
 * - `source_id` and `last_run_id`: the source it was last read from and the run that last changed it;
 * - `source_updated_at`: the source's own `updated_at`, served back as the source serves it (`updated_at`
 *   stays this system's time of the last real change).
 * Only live customers hold their email: a deleted customer's address may be taken by a new one, and a
 * deleted customer that comes back to a taken email is quarantined like any other conflict.
 *
 * Nothing else is indexed or checked per row, because every index and check costs each write of a merge:
 * `source_id` has no foreign key (the merge takes it from `ingest_sources` in its own transaction, and an
 * RI trigger per row would cost a cold load about 5%); `last_run_id` has no index: every run that changes a customer changes it,
 * so the index would rule out HOT updates and make each one add entries to every index of the table, the
 * trigram index's dozens included, even where only a balance changed. A filter by run, or over deleted customers too,
 * counts by walking the table, limited as a costly read.
 */
export class SoftDeletesAndLineage1764547200000 implements MigrationInterface {
  name = 'SoftDeletesAndLineage1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE customers
        ADD COLUMN source_updated_at TIMESTAMPTZ,
        ADD COLUMN deleted_at TIMESTAMPTZ,
        ADD COLUMN source_id INTEGER,
        ADD COLUMN last_run_id BIGINT`);
    await queryRunner.query(`DROP INDEX customers_email_lower_key`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX customers_email_lower_key ON customers (lower(email)) WHERE deleted_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM customers WHERE deleted_at IS NOT NULL`);
    await queryRunner.query(`DROP INDEX customers_email_lower_key`);
    await queryRunner.query(`CREATE UNIQUE INDEX customers_email_lower_key ON customers (lower(email))`);
    await queryRunner.query(`
      ALTER TABLE customers
        DROP COLUMN source_updated_at, DROP COLUMN deleted_at, DROP COLUMN source_id, DROP COLUMN last_run_id`);
  }
}
