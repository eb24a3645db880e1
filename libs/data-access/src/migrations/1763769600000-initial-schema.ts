import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763769600000 implements MigrationInterface {
  name = 'InitialSchema1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE customers (
        customer_id     VARCHAR(50) PRIMARY KEY,
        first_name      VARCHAR(100) NOT NULL,
        last_name       VARCHAR(100) NOT NULL,
        email           VARCHAR(255) NOT NULL,
        phone           VARCHAR(20),
        address         TEXT,
        date_of_birth   DATE,
        account_balance DECIMAL(15,2),
        created_at      TIMESTAMP,
        updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX customers_email_lower_key ON customers (lower(email))`);

    await queryRunner.query(`
      CREATE TABLE ingest_runs (
        id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        trigger           VARCHAR(20) NOT NULL CHECK (trigger IN ('api', 'cli', 'schedule')),
        status            VARCHAR(20) NOT NULL CHECK (status IN ('running', 'success', 'failed', 'interrupted')),
        source_kind       VARCHAR(20) NOT NULL DEFAULT 'api',
        started_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
        finished_at       TIMESTAMPTZ,
        pages_total       INTEGER,
        pages_fetched     INTEGER NOT NULL DEFAULT 0,
        source_total      INTEGER,
        records_processed INTEGER NOT NULL DEFAULT 0,
        records_inserted  INTEGER NOT NULL DEFAULT 0,
        records_updated   INTEGER NOT NULL DEFAULT 0,
        records_unchanged INTEGER NOT NULL DEFAULT 0,
        records_failed    INTEGER NOT NULL DEFAULT 0,
        records_duplicate INTEGER NOT NULL DEFAULT 0,
        retries           INTEGER NOT NULL DEFAULT 0,
        error             TEXT
      )`);
    await queryRunner.query(`CREATE INDEX ingest_runs_status_idx ON ingest_runs (status, id)`);

    await queryRunner.query(`
      CREATE TABLE ingest_failures (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        run_id      BIGINT NOT NULL REFERENCES ingest_runs (id) ON DELETE CASCADE,
        page        INTEGER,
        customer_id TEXT,
        record      JSONB NOT NULL,
        errors      JSONB NOT NULL,
        reason      VARCHAR(30) NOT NULL CHECK (reason IN ('validation', 'email_conflict')),
        created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX ingest_failures_run_id_idx ON ingest_failures (run_id, id)`);

    await queryRunner.query(`
      CREATE TABLE ingest_staged_pages (
        run_id       BIGINT NOT NULL REFERENCES ingest_runs (id) ON DELETE CASCADE,
        page         INTEGER NOT NULL,
        records      JSONB NOT NULL,
        record_count INTEGER NOT NULL,
        failed_count INTEGER NOT NULL,
        PRIMARY KEY (run_id, page)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ingest_staged_pages`);
    await queryRunner.query(`DROP TABLE ingest_failures`);
    await queryRunner.query(`DROP TABLE ingest_runs`);
    await queryRunner.query(`DROP TABLE customers`);
  }
}
