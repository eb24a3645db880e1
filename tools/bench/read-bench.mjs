#!/usr/bin/env node
// npm run bench:read -- [--customers 1000000] [--seconds 10] [--connections 32] [--rounds 1] [--keep]
// Loads generated customers through the pipeline (the mock API, then POST /api/ingest, so the table is what
// a user has) on DATABASE_URL or an embedded PostgreSQL, then drives the same requests at the pipeline and
// at ../shared/bench/reference-read.mjs (a bare node:http + pg server) on the same database, one scenario at
// a time, with autocannon: req/s, p50/p99 latency, non-2xx answers, and the ratio to the reference. Also
// the CPU each request costs the serving process and PostgreSQL, and an export of the whole table.
// The reference reads a copy of the live customers with the indexes it expects (its primary key and a
// unique `lower(email)`), since the pipeline's email index only holds live customers. With `--rounds N`
// the two sides alternate N times per scenario, and the medians are reported: on a shared machine the
// load moves between one side's turn and the other's. `--keep` reuses a table that already holds exactly
// the requested number of customers.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { queryRows } from '../stack/embedded-postgres.mjs';
import { freePort, sleep, startApp, wholeOption } from './bench-apps.mjs';
import { provideDatabase } from '../stack/with-database.mjs';
import { postgresPids, withCpuSampling } from './cpu-sampler.mjs';

const root = resolve(import.meta.dirname, '../..');
const reference = resolve(root, '../shared/bench/reference-read.mjs');
const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const customers = wholeOption('read-bench', 'customers', args.customers);
const seconds = wholeOption('read-bench', 'seconds', args.seconds);
const connections = wholeOption('read-bench', 'connections', args.connections);
const rounds = wholeOption('read-bench', 'rounds', args.rounds);
const REFERENCE_TABLE = 'reference_read_customers';

/** The reference server: it has no health route, so it is ready when a list answers. */
async function startReference(databaseUrl) {
  const port = await freePort();
  const options = ['--db', databaseUrl, '--port', String(port), '--table', REFERENCE_TABLE];
  const child = spawn(process.execPath, [reference, ...options], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (
      await fetch(`${url}/api/customers?limit=1`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i === 600) throw new Error('reference-read.mjs did not answer');
    await sleep(100);
  }
  return {
    url,
    pid: child.pid,
    stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGTERM'))),
  };
}

const startPipeline = (databaseUrl, sourceUrl) =>
  startApp('pipeline', {
    DATABASE_URL: databaseUrl,
    SOURCE_URL: sourceUrl,
    // As in the measurements: throttling must not be what answers.
    THROTTLE_LIMIT: '100000000',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
  });

/** Whether the table exists, in the search path. */
async function exists(databaseUrl, table) {
  const [row] = await queryRows(databaseUrl, `SELECT to_regclass('${table}') IS NOT NULL AS exists`);
  return row.exists;
}

async function storedCustomers(databaseUrl) {
  if (!(await exists(databaseUrl, 'customer_summary'))) return 0;
  const [{ total }] = await queryRows(databaseUrl, 'SELECT total::int AS total FROM customer_summary');
  return total;
}

/** Loads the customers as a user would: a mock API of generated customers, and one ingest. */
async function load(databaseUrl) {
  if (await exists(databaseUrl, 'customers')) {
    await queryRows(
      databaseUrl,
      'DROP SCHEMA IF EXISTS pgboss CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public',
    );
  }
  const mock = await startApp('mock-api', { MOCK_CUSTOMERS: String(customers) });
  const pipeline = await startPipeline(databaseUrl, mock.url);
  const started = Date.now();
  const response = await fetch(`${pipeline.url}/api/ingest`, { method: 'POST' });
  const body = await response.json();
  await pipeline.stop();
  await mock.stop();
  if (response.status !== 200) throw new Error(`ingest: HTTP ${response.status} ${JSON.stringify(body)}`);
  console.error(
    `loaded ${body.records_processed} customers in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** The reference's table: the live customers in its own columns, with the indexes its queries use. */
async function prepareReferenceTable(databaseUrl) {
  await queryRows(
    databaseUrl,
    `DROP TABLE IF EXISTS ${REFERENCE_TABLE};
     CREATE TABLE ${REFERENCE_TABLE} AS
       SELECT customer_id, first_name, last_name, email, phone, address, date_of_birth, account_balance, created_at
       FROM customers WHERE deleted_at IS NULL;
     ALTER TABLE ${REFERENCE_TABLE} ADD PRIMARY KEY (customer_id);
     CREATE UNIQUE INDEX ON ${REFERENCE_TABLE} (lower(email));
     ANALYZE ${REFERENCE_TABLE};`,
  );
}

const idOf = (n) => `CUST${String(n).padStart(8, '0')}`;
const randomId = () => idOf(1 + Math.floor(Math.random() * customers));

/** What each scenario asks; `reference: false` where the reference serves no such route. */
function scenarios(emails, fragments, nearEnd) {
  const deepPage = Math.max(1, Math.floor(customers / 100) - 1);
  let nextEmail = 0;
  return [
    { name: 'list page 1, limit 10', path: '/api/customers?page=1&limit=10' },
    { name: 'list page 1, limit 100', path: '/api/customers?page=1&limit=100' },
    {
      name: `deep page by offset (page ${deepPage}, limit 100)`,
      path: `/api/customers?page=${deepPage}&limit=100`,
      deep: 'offset',
    },
    {
      name: 'deep page by cursor (limit 100)',
      path: `/api/customers?after=${nearEnd}&limit=100`,
      deep: 'cursor',
    },
    {
      name: 'by random id',
      path: '/api/customers/CUST00000001',
      setup: () => `/api/customers/${randomId()}`,
    },
    {
      name: 'by email',
      path: '/api/customers?email=x@example.com',
      setup: () => `/api/customers?email=${encodeURIComponent(emails[nextEmail++ % emails.length])}`,
    },
    {
      name: 'search, three letters (ava), limit 10',
      path: '/api/customers?search=ava&limit=10',
      reference: false,
    },
    {
      // Searches that repeat seldom: each is read from PostgreSQL, not from the page cache.
      name: `search, three letters of ${fragments.length} names, limit 10`,
      path: '/api/customers?search=ann&limit=10',
      setup: () =>
        `/api/customers?search=${fragments[Math.floor(Math.random() * fragments.length)]}&limit=10`,
      reference: false,
    },
    { name: '/api/stats', path: '/api/stats', reference: false },
  ];
}

function drive(url, scenario, duration = seconds) {
  return new Promise((done, fail) => {
    const requests = scenario.setup
      ? [{ setupRequest: (request) => ({ ...request, path: scenario.setup() }) }]
      : undefined;
    autocannon({ url: `${url}${scenario.path}`, connections, duration, requests }, (error, result) =>
      error ? fail(error) : done(result),
    );
  });
}

/**
 * Cancels what a side left running: the reference's deep offset pages outlast the measurement (each sorts
 * the table) and would otherwise take the CPU of the next scenario.
 */
async function quiesce(databaseUrl) {
  // A server goes on with the requests it had queued: cancel until nothing has run for a second.
  for (let quiet = 0, round = 0; quiet < 4 && round < 120; round++) {
    const cancelled = await queryRows(
      databaseUrl,
      `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
         AND backend_type = 'client backend'`,
    );
    quiet = cancelled.length === 0 ? quiet + 1 : 0;
    await sleep(250);
  }
}

async function measure(server, databaseUrl, scenario) {
  // A warm-up, so that both sides are measured with their caches and prepared statements in place.
  await drive(server.url, scenario, Math.min(3, seconds));
  // The server goes on with what the warm-up's connections left queued; let it finish first.
  await sleep(1000);
  const { result, cpu } = await withCpuSampling({ server: () => [server.pid], postgres: postgresPids }, () =>
    drive(server.url, scenario),
  );
  await quiesce(databaseUrl);
  const answered = result.requests.total;
  return {
    req_s: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    non_2xx: result.non2xx + result.errors + result.timeouts,
    server_cpu_us: cpu && answered ? Math.round((cpu.server * 1e6) / answered) : null,
    postgres_cpu_us: cpu && answered ? Math.round((cpu.postgres * 1e6) / answered) : null,
  };
}

async function exportAll(url, format) {
  const started = process.hrtime.bigint();
  const response = await fetch(`${url}/api/customers/export?format=${format}`);
  if (response.status !== 200) throw new Error(`export: HTTP ${response.status}`);
  let lines = 0;
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const rows = format === 'csv' ? lines - 1 : lines;
  return {
    format,
    rows,
    mb: +(bytes / 2 ** 20).toFixed(1),
    seconds: +elapsed.toFixed(2),
    rows_per_s: Math.round(rows / elapsed),
  };
}

const ratio = (a, b) => (b ? +(a / b).toFixed(2) : null);

/** The middle value (the lower middle of an even count); null when there are none. */
function median(values) {
  const known = values.filter((value) => value !== null).sort((a, b) => a - b);
  return known.length ? known[Math.floor((known.length - 1) / 2)] : null;
}

/** The measurement of median req/s, whole, so that its latencies and CPU belong to the same turn. */
function medianBy(measurements) {
  const sorted = [...measurements].sort((a, b) => a.req_s - b.req_s);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

async function main() {
  if (!existsSync(reference)) throw new Error(`${reference} is missing`);
  spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'mock-api', 'pipeline', '--output-style=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const database = await provideDatabase('bench');
  try {
    const loaded = !args.keep || (await storedCustomers(database.url)) !== customers;
    if (loaded) await load(database.url);
    const emails = (
      await queryRows(database.url, 'SELECT email FROM customers TABLESAMPLE SYSTEM (1) LIMIT 2000')
    ).map((r) => r.email);
    const fragments = (
      await queryRows(
        database.url,
        `SELECT DISTINCT lower(substr(first_name, 1 + (random() * (length(first_name) - 3))::int, 3)) AS fragment
         FROM customers TABLESAMPLE SYSTEM (1) WHERE length(first_name) >= 3 LIMIT 2000`,
      )
    ).map((r) => encodeURIComponent(r.fragment));
    const [{ id: nearEnd }] = await queryRows(
      database.url,
      `SELECT customer_id AS id FROM customers ORDER BY customer_id OFFSET ${Math.max(0, customers - 200)} LIMIT 1`,
    );
    // A kept table keeps its copy too (loading drops the schema, the copy with it).
    if (loaded || !(await exists(database.url, REFERENCE_TABLE))) await prepareReferenceTable(database.url);
    const pipeline = await startPipeline(database.url, 'http://127.0.0.1:9');
    const referenceServer = await startReference(database.url);
    const rows = [];
    const exports = [];
    try {
      for (const scenario of scenarios(emails, fragments, nearEnd)) {
        const turns = [];
        for (let round = 1; round <= rounds; round++) {
          const ours = await measure(pipeline, database.url, scenario);
          const theirs =
            scenario.reference === false ? null : await measure(referenceServer, database.url, scenario);
          turns.push({ ours, theirs, ratio: theirs ? ratio(ours.req_s, theirs.req_s) : null });
          console.error(`${scenario.name}: ${ours.req_s} req/s (reference ${theirs?.req_s ?? '-'})`);
        }
        rows.push({
          scenario: scenario.name,
          deep: scenario.deep,
          pipeline: medianBy(turns.map((turn) => turn.ours)),
          reference: scenario.reference === false ? null : medianBy(turns.map((turn) => turn.theirs)),
          ratio: median(turns.map((turn) => turn.ratio)),
          ratios: turns.map((turn) => turn.ratio),
        });
      }
      exports.push(await exportAll(pipeline.url, 'ndjson'), await exportAll(pipeline.url, 'csv'));
    } finally {
      await pipeline.stop();
      await referenceServer.stop();
    }
    const page1 = rows.find((row) => row.scenario === 'list page 1, limit 100').pipeline.req_s;
    console.log(
      `\n${customers} customers, ${connections} connections, ${seconds} s per scenario and side, ` +
        `${rounds} round(s) (medians)`,
    );
    console.log(
      `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
    );
    console.log(
      '| scenario | pipeline req/s | p50 / p99 ms | non-2xx | CPU µs/req (service / PostgreSQL) | reference req/s | p50 / p99 ms | non-2xx | CPU µs/req | ratio |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const row of rows) {
      const p = row.pipeline;
      const r = row.reference;
      console.log(
        `| ${row.scenario} | ${p.req_s} | ${p.p50_ms} / ${p.p99_ms} | ${p.non_2xx} | ${p.server_cpu_us} / ${p.postgres_cpu_us} | ` +
          (r
            ? `${r.req_s} | ${r.p50_ms} / ${r.p99_ms} | ${r.non_2xx} | ${r.server_cpu_us} / ${r.postgres_cpu_us} | ${row.ratio} |`
            : '- | - | - | - | - |'),
      );
    }
    console.log('\n| export | rows | MB | seconds | customers/s |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const e of exports)
      console.log(`| ${e.format} | ${e.rows} | ${e.mb} | ${e.seconds} | ${e.rows_per_s} |`);
    console.log('\nTargets:');
    for (const row of rows) {
      if (row.deep) {
        const target = row.deep === 'cursor' ? 0.8 : 0.25;
        console.log(
          `- ${row.scenario} / page 1 (limit 100): ${ratio(row.pipeline.req_s, page1)} (target >= ${target})`,
        );
      } else if (row.ratio !== null && !row.scenario.includes('limit 100')) {
        console.log(`- ${row.scenario} / reference: ${row.ratio} (target >= 0.4)`);
      }
    }
    for (const search of rows.filter((row) => row.scenario.startsWith('search')))
      console.log(`- ${search.scenario}: p99 ${search.pipeline.p99_ms} ms (target < 100)`);
    console.log(`- export: ${Math.min(...exports.map((e) => e.rows_per_s))} customers/s (target >= 100000)`);
    console.log(
      `- non-2xx answers of the pipeline: ${rows.reduce((sum, row) => sum + row.pipeline.non_2xx, 0)} (target 0)`,
    );
    console.log(
      JSON.stringify({
        date: new Date().toISOString().slice(0, 10),
        customers,
        connections,
        seconds,
        rounds,
        rows,
        exports,
      }),
    );
  } finally {
    await database.stop();
  }
}

await main();
