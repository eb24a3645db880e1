import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incremental runs, and runs held for review:
 * - every source a run has read (its kind and location) has a row, with the checkpoint of the newest record
 *   a committed run applied from it: the compound `(updated_at, customer_id)` cursor an incremental run
 *   reads on from;
 * - a run has a mode, and records the cursor it started from and the one it committed;
 * - a run can end `needs_review` (read and staged, nothing applied, until someone approves or rejects it)
 *   or `rejected`; with its counts of deleted and restored customers, and what the quality guards found.
 */
export class IncrementalRuns1764374400000 implements MigrationInterface {
  name = 'IncrementalRuns1764374400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ingest_sources (
        id                  INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind                VARCHAR(20) NOT NULL,
        location            TEXT NOT NULL,
        cursor_updated_at   TIMESTAMPTZ,
        cursor_customer_id  VARCHAR(50),
        cursor_run_id       BIGINT,
        cursor_committed_at TIMESTAMPTZ,
        UNIQUE (kind, location)
      )`);
    await queryRunner.query(`
      ALTER TABLE ingest_runs
        DROP CONSTRAINT ingest_runs_status_check,
        ADD CONSTRAINT ingest_runs_status_check CHECK (status IN
          ('queued', 'running', 'success', 'failed', 'interrupted', 'superseded', 'needs_review', 'rejected')),
        ADD COLUMN mode VARCHAR(20) NOT NULL DEFAULT 'full' CHECK (mode IN ('full', 'incremental')),
        ADD COLUMN cursor_from_updated_at TIMESTAMPTZ,
        ADD COLUMN cursor_from_customer_id VARCHAR(50),
        ADD COLUMN cursor_to_updated_at TIMESTAMPTZ,
        ADD COLUMN cursor_to_customer_id VARCHAR(50),
        ADD COLUMN records_deleted INTEGER NOT NULL DEFAULT 0,
        ADD COLUMN records_restored INTEGER NOT NULL DEFAULT 0,
        ADD COLUMN findings JSONB NOT NULL DEFAULT '[]',
        ADD COLUMN schema JSONB,
        ADD COLUMN approved_at TIMESTAMPTZ`);
    // The newest valid record of each staged page, by (updated_at, customer_id): the checkpoint a run
    // commits is the newest over its pages, without reading their records again.
    await queryRunner.query(`
      ALTER TABLE ingest_staged_pages
        ADD COLUMN newest_updated_at TIMESTAMPTZ,
        ADD COLUMN newest_customer_id VARCHAR(50)`);
    // What each staged page held, for the guards: the ids of all its records (valid or not: a customer the
    // source still has is not deleted because its record broke the contract), and the shape of its records,
    // the JSON types of each field with counts and an example id.
    await queryRunner.query(`
      ALTER TABLE ingest_staged_pages
        ADD COLUMN customer_ids TEXT[] NOT NULL DEFAULT '{}',
        ADD COLUMN shape JSONB NOT NULL DEFAULT '{}'`);
    // A run held for review keeps its staged pages until it is decided: no other run may start meanwhile.
    await queryRunner.query(`DROP INDEX ingest_runs_one_active`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX ingest_runs_one_active ON ingest_runs ((true))
       WHERE status IN ('queued', 'running', 'needs_review')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE ingest_runs SET status = 'failed' WHERE status IN ('needs_review', 'rejected')`,
    );
    await queryRunner.query(`DROP INDEX ingest_runs_one_active`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX ingest_runs_one_active ON ingest_runs ((true)) WHERE status IN ('queued', 'running')`,
    );
    await queryRunner.query(`
      ALTER TABLE ingest_runs
        DROP CONSTRAINT ingest_runs_status_check,
        ADD CONSTRAINT ingest_runs_status_check
          CHECK (status IN ('queued', 'running', 'success', 'failed', 'interrupted', 'superseded')),
        DROP COLUMN mode, DROP COLUMN cursor_from_updated_at, DROP COLUMN cursor_from_customer_id,
        DROP COLUMN cursor_to_updated_at, DROP COLUMN cursor_to_customer_id, DROP COLUMN records_deleted,
        DROP COLUMN records_restored, DROP COLUMN findings, DROP COLUMN schema, DROP COLUMN approved_at`);
    await queryRunner.query(
      `ALTER TABLE ingest_staged_pages DROP COLUMN newest_updated_at, DROP COLUMN newest_customer_id,
         DROP COLUMN customer_ids, DROP COLUMN shape`,
    );
    await queryRunner.query(`DROP TABLE ingest_sources`);
  }
}
