import { MigrationInterface, QueryRunner } from 'typeorm';

export class RunProgressAndAnomalies1763856000000 implements MigrationInterface {
  name = 'RunProgressAndAnomalies1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ingest_runs
        ADD COLUMN phase VARCHAR(20) NOT NULL DEFAULT 'fetching'
          CHECK (phase IN ('fetching', 'merging', 'done')),
        ADD COLUMN pages_merged INTEGER NOT NULL DEFAULT 0,
        ADD COLUMN source_difference INTEGER,
        ADD COLUMN notes TEXT,
        ADD COLUMN resumed_count INTEGER NOT NULL DEFAULT 0,
        ADD COLUMN source_location TEXT`);
    await queryRunner.query(`UPDATE ingest_runs SET phase = 'done' WHERE status <> 'running'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ingest_runs DROP COLUMN phase, DROP COLUMN pages_merged, DROP COLUMN source_difference,
        DROP COLUMN notes, DROP COLUMN resumed_count, DROP COLUMN source_location`);
  }
}
