import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the read API needs to answer at any table size:
 * - `customer_summary`, one row: the exact number of stored customers and a data version, both kept by the
 *   merge transaction of every run (counting a million rows costs 60 ms of CPU per request otherwise);
 * - `customer_id_anchors`: every 1,000th customer_id in order, rebuilt by a merge that adds or removes
 *   customers, so that an offset page starts from the nearest anchor instead of walking every id before it;
 * - a trigram index over first name, last name and email, for substring search. The three are joined
 *   with U+0001 between them: a search text without that character can only match inside one of them, so
 *   one index answers the ILIKE of all three.
 */
export class ReadModel1764460800000 implements MigrationInterface {
  name = 'ReadModel1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX customers_search_trgm ON customers
       USING gin ((first_name || E'\\x01' || last_name || E'\\x01' || email) gin_trgm_ops)`,
    );
    await queryRunner.query(`
      CREATE TABLE customer_summary (
        singleton  BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
        total      BIGINT NOT NULL CHECK (total >= 0),
        version    BIGINT NOT NULL,
        changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `INSERT INTO customer_summary (total, version) SELECT count(*), 1 FROM customers`,
    );
    await queryRunner.query(`
      CREATE TABLE customer_id_anchors (
        position    BIGINT PRIMARY KEY,
        customer_id VARCHAR(50) NOT NULL
      )`);
    await queryRunner.query(`
      INSERT INTO customer_id_anchors (position, customer_id)
      SELECT position, customer_id
      FROM (SELECT customer_id, row_number() OVER (ORDER BY customer_id) - 1 AS position FROM customers) ids
      WHERE position % 1000 = 0`);
    await queryRunner.query(`ANALYZE customers`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE customer_id_anchors`);
    await queryRunner.query(`DROP TABLE customer_summary`);
    await queryRunner.query(`DROP INDEX customers_search_trgm`);
  }
}
