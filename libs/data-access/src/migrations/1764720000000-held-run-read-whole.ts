import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `read_whole` on a held run: whether its read reached the source's end. Approving the run applies it as
 * staged, without reading again, and it may look for deletes only if the held read saw the whole source;
 * a run cut short by the page cap would otherwise delete every customer past the cap.
 */
export class HeldRunReadWhole1764720000000 implements MigrationInterface {
  name = 'HeldRunReadWhole1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ingest_runs ADD COLUMN read_whole BOOLEAN`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ingest_runs DROP COLUMN read_whole`);
  }
}
