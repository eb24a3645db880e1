import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs become durable jobs shared by every pipeline process (pg-boss creates its own schema, `pgboss`):
 * - a run is `queued` until a process takes it; at most one run is queued or running at a time, which the
 *   partial unique index enforces for every process at once (a second trigger meets it and answers 409);
 * - a run that can no longer be resumed (another source, or staged pages too old) ends `superseded`;
 * - every run records where it read (`source_location` is the source API's URL too, not only a CSV path),
 *   the records it asks for per page (page k means the same records on every attempt only with the same
 *   limit), the time span over which its pages were read, its coordinator job, and how many records carried
 *   a timestamp without a UTC offset;
 * - every staged page records when it was read and digests of its ids and its content, so that a resumed run
 *   can tell whether the source changed and whether neighbouring pages repeat each other;
 * - every process registers itself, with a heartbeat and the jobs it holds, so that the jobs of a process
 *   that died are handed to another one.
 */
export class DurableRuns1764288000000 implements MigrationInterface {
  name = 'DurableRuns1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ingest_runs
        DROP CONSTRAINT ingest_runs_status_check,
        ADD CONSTRAINT ingest_runs_status_check
          CHECK (status IN ('queued', 'running', 'success', 'failed', 'interrupted', 'superseded')),
        ADD COLUMN read_started_at TIMESTAMPTZ,
        ADD COLUMN read_finished_at TIMESTAMPTZ,
        ADD COLUMN coordinator_job_id UUID,
        ADD COLUMN ranges_total INTEGER,
        ADD COLUMN page_limit INTEGER,
        ADD COLUMN records_without_offset INTEGER NOT NULL DEFAULT 0`);
    // Before this, a run whose process died stayed `running` beside the newer runs that followed it.
    await queryRunner.query(`
      UPDATE ingest_runs SET status = 'interrupted'
      WHERE status = 'running' AND id <> (SELECT max(id) FROM ingest_runs WHERE status = 'running')`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX ingest_runs_one_active ON ingest_runs ((true)) WHERE status IN ('queued', 'running')`,
    );
    await queryRunner.query(`
      ALTER TABLE ingest_staged_pages
        ADD COLUMN read_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        ADD COLUMN ids_digest TEXT,
        ADD COLUMN content_digest TEXT,
        ADD COLUMN without_offset_count INTEGER NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      ALTER TABLE ingest_failures
        DROP CONSTRAINT ingest_failures_reason_check,
        ADD CONSTRAINT ingest_failures_reason_check
          CHECK (reason IN ('validation', 'email_conflict', 'malformed'))`);
    await queryRunner.query(`
      CREATE TABLE pipeline_instances (
        id           UUID PRIMARY KEY,
        role         VARCHAR(10) NOT NULL,
        hostname     TEXT NOT NULL,
        pid          INTEGER NOT NULL,
        started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
        heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        active_jobs  TEXT[] NOT NULL DEFAULT '{}'
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE pipeline_instances`);
    await queryRunner.query(`DELETE FROM ingest_failures WHERE reason = 'malformed'`);
    await queryRunner.query(`
      ALTER TABLE ingest_failures
        DROP CONSTRAINT ingest_failures_reason_check,
        ADD CONSTRAINT ingest_failures_reason_check CHECK (reason IN ('validation', 'email_conflict'))`);
    await queryRunner.query(`
      ALTER TABLE ingest_staged_pages
        DROP COLUMN read_at, DROP COLUMN ids_digest, DROP COLUMN content_digest, DROP COLUMN without_offset_count`);
    await queryRunner.query(`DROP INDEX ingest_runs_one_active`);
    await queryRunner.query(
      `UPDATE ingest_runs SET status = 'interrupted' WHERE status IN ('queued', 'superseded')`,
    );
    await queryRunner.query(`
      ALTER TABLE ingest_runs
        DROP CONSTRAINT ingest_runs_status_check,
        ADD CONSTRAINT ingest_runs_status_check CHECK (status IN ('running', 'success', 'failed', 'interrupted')),
        DROP COLUMN read_started_at, DROP COLUMN read_finished_at, DROP COLUMN coordinator_job_id,
        DROP COLUMN ranges_total, DROP COLUMN page_limit, DROP COLUMN records_without_offset`);
  }
}
