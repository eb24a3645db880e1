import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { TestDatabase, createTestDatabase } from '@customer-pipeline/data-access/testing';
import { ChangingSource } from '../test/changing-source';
import { ScriptedSource } from '../test/scripted-source';

const CLI = join(__dirname, '../../../dist/apps/pipeline/ingest-cli.js');

/** The built `npm run ingest` command, run as a user runs it (the test target builds the app first). */
describe('npm run ingest (e2e)', () => {
  let database: TestDatabase;
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [CLI, ...args], {
      env: { ...process.env, DATABASE_URL: database.url, SOURCE_RETRIES: '0', ...env },
      encoding: 'utf8',
      timeout: 60_000,
      // Away from the checkout's .env, which would otherwise add a developer's settings to the test's.
      cwd: tmpdir(),
    });

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(() => database?.drop());

  it('ingests a CSV file, prints progress lines and the summary, and exits 0', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cli-')), 'customers.csv');
    writeFileSync(
      file,
      'customer_id,first_name,last_name,email,account_balance\nK1,Kim,Lee,kim@example.com,10.5\nK2,No,Mail,not-an-email,1\n',
    );
    // One record of two quarantined is past the invalid-share guard's default: this test is not about it.
    const result = run(['--csv', file], { INGEST_MAX_INVALID_SHARE: '1' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^run \d+ succeeded: 1 pages, 2 records, \d+ rec\/s, 1 failed$/m);
    expect(result.stdout).toMatch(
      /succeeded in .*: 2 records, 1 inserted, 0 updated, 0 unchanged, 0 deleted, 0 restored, 1 failed/,
    );

    const client = new Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query('SELECT customer_id, account_balance FROM customers');
    await client.end();
    expect(rows).toEqual([{ customer_id: 'K1', account_balance: '10.50' }]);
  });

  it('reads a relative --csv path from the folder the command ran in, not from where npm runs it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cli-'));
    writeFileSync(
      join(folder, 'relative.csv'),
      'customer_id,first_name,last_name,email\nR1,Rae,Lo,rae@example.com\n',
    );
    const own = await createTestDatabase();
    try {
      // npm runs a script in the package's folder, and names the folder it was run from in INIT_CWD.
      const result = run(['--csv', 'relative.csv'], { INIT_CWD: folder, DATABASE_URL: own.url });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/1 records, 1 inserted/);
    } finally {
      await own.drop();
    }
  });

  it('quarantines a malformed CSV row with its line number and applies the rest of the file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cli-')), 'customers.csv');
    writeFileSync(
      file,
      'customer_id,first_name,last_name,email\nM1,Mo,Ra,mo@example.com\nM2,Too,Many,m2@example.com,extra\n' +
        'M3,Lu,Ka,lu@example.com\n',
    );
    const own = await createTestDatabase();
    try {
      const result = run(['--csv', file], { DATABASE_URL: own.url, INGEST_MAX_INVALID_SHARE: '1' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const client = new Client({ connectionString: own.url });
      await client.connect();
      try {
        const stored = await client.query('SELECT customer_id FROM customers ORDER BY 1');
        expect(stored.rows.map((row) => row.customer_id)).toEqual(['M1', 'M3']);
        const failures = await client.query('SELECT reason, record, errors FROM ingest_failures');
        expect(failures.rows).toEqual([
          {
            reason: 'malformed',
            record: expect.objectContaining({ line: 3 }),
            errors: [{ field: '(line 3)', messages: [expect.any(String)] }],
          },
        ]);
      } finally {
        await client.end();
      }
    } finally {
      await own.drop();
    }
  });

  it('runs an incremental ingest with --incremental: in full until a checkpoint exists, then from it', async () => {
    const changing = new ChangingSource(6);
    const source = await new ScriptedSource((page, limit, query) =>
      changing.answer(page, limit, query),
    ).start();
    const own = await createTestDatabase();
    // The source answers in this process: the command must not block it, as spawnSync would.
    const runAsync = (args: string[]) =>
      promisify(execFile)(process.execPath, [CLI, ...args], {
        env: {
          ...process.env,
          DATABASE_URL: own.url,
          SOURCE_URL: source.url,
          SOURCE_PAGE_LIMIT: '4',
          INGEST_LOOKBACK: '0s',
        },
        cwd: tmpdir(),
        timeout: 60_000,
      });
    try {
      const first = await runAsync(['--incremental']);
      expect(first.stdout).toMatch(/notes: read in full: no run has committed a checkpoint/);
      changing.change('CUST003');
      const second = await runAsync(['--incremental']);
      expect(second.stdout).toMatch(/\d+ records, 0 inserted, 1 updated/);
      const client = new Client({ connectionString: own.url });
      await client.connect();
      const { rows } = await client.query('SELECT mode, records_processed FROM ingest_runs ORDER BY id');
      await client.end();
      expect(rows).toEqual([
        { mode: 'full', records_processed: 6 },
        { mode: 'incremental', records_processed: expect.any(Number) },
      ]);
      expect(rows[1].records_processed).toBeLessThan(6);
    } finally {
      await source.stop();
      await own.drop();
    }
  }, 30_000);

  it('exits 1 naming the source URL and its variable when the source cannot be read, and no credentials', () => {
    const result = run([], { SOURCE_URL: 'http://reader:s3cret@127.0.0.1:9/' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'ingest failed: source unreachable at http://127.0.0.1:9 (SOURCE_URL) on page 1: ECONNREFUSED',
    );
    expect(result.stderr).not.toContain('s3cret');
  });

  it('exits 3 naming the run and what to do when a guard holds it for review', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cli-')), 'customers.csv');
    writeFileSync(file, 'customer_id,first_name,last_name,email\nK9,No,Mail,not-an-email\n');
    const result = run(['--csv', file]);
    expect(result.status).toBe(3);
    expect(result.stdout + result.stderr).toMatch(
      /run (\d+) needs review.*\/api\/ingest\/runs\/\1\/approve/s,
    );
    const again = run(['--csv', file]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/ingest failed: ingest run \d+ needs review: approve or reject it/);
  });

  it('exits 2 with usage on an unknown option', () => {
    const result = run(['--bogus']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: npm run ingest');
  });
});
