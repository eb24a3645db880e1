// The benchmarks' processes: the built apps, each on a free port, as their images run them.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { queryRows } from '../stack/embedded-postgres.mjs';

const root = resolve(import.meta.dirname, '../..');

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * A whole-number option of at least `min`, or exit 2 naming it: `--rounds x` would otherwise run no round
 * and fail far later.
 */
export function wholeOption(bench, name, value, min = 1) {
  const number = Number(value);
  if (Number.isInteger(number) && number >= min) return number;
  console.error(`${bench}: --${name} must be a whole number of at least ${min}, got "${value}"`);
  process.exit(2);
}

export function freePort() {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function waitHealthy(url) {
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(100);
  }
  throw new Error(`${url} did not become healthy`);
}

/**
 * Starts `dist/apps/<app>/main.js` with `env` on `port` (a free one by default) and waits until it answers
 * its health route.
 */
export async function startApp(app, env, port) {
  port ??= await freePort();
  const portVariable = app === 'mock-api' ? 'MOCK_API_PORT' : 'PIPELINE_PORT';
  const child = spawn(process.execPath, [resolve(root, 'dist/apps', app, 'main.js')], {
    env: { ...process.env, ...env, [portVariable]: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The last log lines (JSON, one per line), for a bench that reads what the app measured of itself.
  const lines = [];
  let partial = '';
  child.stdout.on('data', (chunk) => {
    const text = partial + chunk;
    const complete = text.split('\n');
    partial = complete.pop();
    lines.push(...complete);
    if (lines.length > 1000) lines.splice(0, lines.length - 1000);
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url);
  return {
    url,
    pid: child.pid,
    /** The last logged object whose `msg` is `message`, or undefined. */
    logged: (message) =>
      lines
        .map((line) => {
          try {
            return JSON.parse(line);
          } catch {
            return undefined;
          }
        })
        .filter((entry) => entry?.msg === message)
        .pop(),
    /** Peak resident set size of the process so far, in MB (VmHWM). */
    peakRssMb: () =>
      Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Writes out what earlier scenarios left dirty in PostgreSQL's buffers, so that no scenario pays for the
 * checkpoint of the one before it (a million-row write leaves hundreds of MB to flush).
 */
export async function settle(databaseUrl) {
  await queryRows(databaseUrl, 'CHECKPOINT');
}

/** Empties the pipeline's tables, if a pipeline has created them yet. */
export async function emptyCustomers(databaseUrl) {
  const [{ exists }] = await queryRows(databaseUrl, "SELECT to_regclass('customers') IS NOT NULL AS exists");
  if (!exists) return;
  await queryRows(databaseUrl, 'TRUNCATE customers, ingest_runs, ingest_staged_pages CASCADE');
  // The read model goes with the customers it describes (reference runs leave it alone).
  const [{ readModel }] = await queryRows(
    databaseUrl,
    'SELECT to_regclass(\'customer_summary\') IS NOT NULL AS "readModel"',
  );
  if (readModel) {
    await queryRows(
      databaseUrl,
      'TRUNCATE customer_id_anchors; UPDATE customer_summary SET total = 0, version = version + 1',
    );
  }
}
