import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What approving a held run relies on, fixed when it is held. Approval applies the run as staged, without
 * reading again:
 * - `read_whole`: whether its read reached the source's end. Only then may it look for deletes: a run cut
 *   short by the page cap, or stopped by a repeated page, would delete every customer it never saw.
 * - `pages_held`: how many pages it had staged. Staging is unlogged, so a PostgreSQL crash empties it; a run
 *   with fewer pages than it was held with must not be applied (it would delete what the lost pages held).
 *   The run's own page counter cannot say this: it is counted again from the staged pages on every attempt.
 */
export class HeldRunFacts1764720000000 implements MigrationInterface {
  name = 'HeldRunFacts1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ingest_runs ADD COLUMN read_whole BOOLEAN, ADD COLUMN pages_held INTEGER`,
    );
    // A run waiting for review had its counters taken at the hold, and nothing has counted them since.
    await queryRunner.query(
      `UPDATE ingest_runs SET pages_held = pages_fetched WHERE status = 'needs_review'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ingest_runs DROP COLUMN read_whole, DROP COLUMN pages_held`);
  }
}
