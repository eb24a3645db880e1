import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staged pages are a cache of what a run fetched, not data of record: writing them to the WAL and
 * compressing them doubled the database's work per ingested record. UNLOGGED keeps them across clean
 * restarts (a crash empties the table and the pages are simply fetched again); EXTERNAL storage skips
 * compressing JSON that is read back once.
 */
export class UnloggedStaging1763942400000 implements MigrationInterface {
  name = 'UnloggedStaging1763942400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ingest_staged_pages SET UNLOGGED`);
    await queryRunner.query(`ALTER TABLE ingest_staged_pages ALTER COLUMN records SET STORAGE EXTERNAL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ingest_staged_pages ALTER COLUMN records SET STORAGE EXTENDED`);
    await queryRunner.query(`ALTER TABLE ingest_staged_pages SET LOGGED`);
  }
}
