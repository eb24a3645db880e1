// node --test: the launcher's database handling, on the server DATABASE_URL names, or on the embedded test
// cluster when it is unset.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { queryRows, recreateTestDatabase, testDatabaseUrl, withLockFile } from './embedded-postgres.mjs';
import { provideDatabase, provideSharedTestDatabase } from './with-database.mjs';

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function urlOf(server, database) {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

describe('provideDatabase("test") with a DATABASE_URL', () => {
  const name = `stack_${randomBytes(4).toString('hex')}`;
  const given = process.env.DATABASE_URL;
  let shared;
  let server;
  const admin = () => urlOf(server, 'postgres');

  before(async () => {
    shared = await provideSharedTestDatabase();
    server = shared.url;
    await queryRows(admin(), `CREATE DATABASE ${name}`);
    await queryRows(urlOf(server, name), 'CREATE TABLE precious AS SELECT 1 AS id');
    process.env.DATABASE_URL = urlOf(server, name);
  });

  after(async () => {
    process.env.DATABASE_URL = given;
    if (given === undefined) delete process.env.DATABASE_URL;
    if (!shared) return;
    await queryRows(admin(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await queryRows(admin(), `DROP DATABASE IF EXISTS ${name}_test WITH (FORCE)`);
    await shared.stop();
  });

  it('leaves the named database alone and gives a fresh <name>_test beside it on every run', async () => {
    const first = await provideDatabase('test');
    assert.equal(first.url, urlOf(server, `${name}_test`));
    await queryRows(first.url, 'CREATE TABLE leftover (id int)');

    const second = await provideDatabase('test');
    assert.equal(second.url, first.url);
    assert.deepEqual(await queryRows(second.url, `SELECT to_regclass('leftover') AS leftover`), [
      { leftover: null },
    ]);
    assert.deepEqual(await queryRows(urlOf(server, name), 'SELECT id FROM precious'), [{ id: 1 }]);
  });
});

describe('test database names', () => {
  it('refuses to drop a database whose name does not end in _test', async () => {
    await assert.rejects(
      recreateTestDatabase('postgres://postgres@127.0.0.1:1/customers'),
      /refusing to drop customers/,
    );
  });

  it('refuses a name PostgreSQL would cut short, which could name another database', () => {
    assert.throws(
      () => testDatabaseUrl(`postgres://h/${'c'.repeat(60)}`),
      /longer than PostgreSQL's 63 bytes/,
    );
    assert.equal(testDatabaseUrl(`postgres://h/${'c'.repeat(58)}`), `postgres://h/${'c'.repeat(58)}_test`);
  });

  it('refuses a URL that names no database', () => {
    assert.throws(() => testDatabaseUrl('postgres://postgres@127.0.0.1:5432'), /names no database/);
  });
});

describe('withLockFile', () => {
  const folder = mkdtempSync(join(tmpdir(), 'stack-lock-'));
  const lockFile = join(folder, 'init.lock');
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('lets one holder in at a time and removes the lock afterwards', async () => {
    const events = [];
    const hold = (who) =>
      withLockFile(lockFile, async () => {
        events.push(`${who} in`);
        await sleep(150);
        events.push(`${who} out`);
      });
    await Promise.all([hold('a'), hold('b')]);
    assert.deepEqual(events, ['a in', 'a out', 'b in', 'b out']);
    assert.equal(existsSync(lockFile), false);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const { pid } = spawnSync(process.execPath, ['-e', '']);
    writeFileSync(lockFile, String(pid));
    assert.equal(await withLockFile(lockFile, async () => 'ran', { timeoutSeconds: 0.5 }), 'ran');
  });

  it('waits for a live holder, and gives up after its timeout', async () => {
    writeFileSync(lockFile, String(process.pid));
    await assert.rejects(
      withLockFile(lockFile, async () => 'ran', { timeoutSeconds: 0.3 }),
      /still held/,
    );
    rmSync(lockFile);
  });

  it('removes the lock when the work fails', async () => {
    await assert.rejects(withLockFile(lockFile, async () => Promise.reject(new Error('initdb failed'))));
    assert.equal(existsSync(lockFile), false);
  });
});
