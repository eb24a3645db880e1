import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change of the data version is announced on the `customer_summary` channel by the table itself, not
 * by each writer: readers keep pages per version and trust what they heard, so a writer that moved the
 * version without announcing it (an operator's reset, a script) would leave them serving the old data.
 * NOTIFY is delivered at commit, and not at all on rollback.
 */
export class SummaryNotifies1764633600000 implements MigrationInterface {
  name = 'SummaryNotifies1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION customer_summary_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('customer_summary', json_build_object('total', NEW.total, 'version', NEW.version)::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER customer_summary_notify AFTER UPDATE ON customer_summary
        FOR EACH ROW WHEN (NEW.version IS DISTINCT FROM OLD.version)
        EXECUTE FUNCTION customer_summary_notify()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER customer_summary_notify ON customer_summary`);
    await queryRunner.query(`DROP FUNCTION customer_summary_notify()`);
  }
}
