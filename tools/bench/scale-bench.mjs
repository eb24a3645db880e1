#!/usr/bin/env node
// npm run bench:scale -- [--customers 1000000] [--latency 100] [--workers 1,2,3]
// The same cold ingest against a source that is latency-bound the way remote APIs are (MOCK_LATENCY_MS),
// first by one pipeline process in role `all`, then by one `api` process with 1, 2, 3 ... `worker`
// processes, each at its default INGEST_CONCURRENCY. Prints wall time, records/s and the speed-up over the
// single process, as a Markdown table and JSON.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { provideDatabase } from '../stack/with-database.mjs';
import { emptyCustomers, settle, sleep, startApp, wholeOption } from './bench-apps.mjs';
import { queryRows } from '../stack/embedded-postgres.mjs';

const root = resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    latency: { type: 'string', default: '100' },
    workers: { type: 'string', default: '2,3' },
  },
});

const customers = wholeOption('scale-bench', 'customers', args.customers);
const latency = wholeOption('scale-bench', 'latency', args.latency, 0);
const workerCounts = args.workers.split(',').map((count) => wholeOption('scale-bench', 'workers', count));

/** One cold ingest with these pipeline processes; the first one takes the trigger. */
async function ingest(label, databaseUrl, source, roles) {
  await emptyCustomers(databaseUrl);
  await settle(databaseUrl);
  const environment = { DATABASE_URL: databaseUrl, SOURCE_URL: source.url, LOG_LEVEL: 'warn' };
  const processes = [];
  try {
    for (const role of roles)
      processes.push(await startApp('pipeline', { ...environment, PIPELINE_ROLE: role }));
    const started = process.hrtime.bigint();
    const response = await fetch(`${processes[0].url}/api/ingest`, { method: 'POST' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const body = await response.json();
    if (response.status !== 200) throw new Error(`${label}: HTTP ${response.status} ${JSON.stringify(body)}`);
    const [{ retried }] = await queryRows(
      databaseUrl,
      `SELECT count(*) FILTER (WHERE retry_count > 0)::int AS retried FROM pgboss.job WHERE name = 'ingest-range'
       AND data->>'run_id' = '${Number(body.run_id)}'`,
    );
    return {
      setup: label,
      records: body.records_processed,
      seconds: +seconds.toFixed(1),
      records_per_s: Math.round(body.records_processed / seconds),
      inserted: body.inserted,
      ranges_retried: retried,
    };
  } finally {
    await Promise.all(processes.map((process) => process.stop()));
    await sleep(500);
  }
}

async function main() {
  spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'mock-api', 'pipeline', '--output-style=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const database = await provideDatabase('bench');
  const source = await startApp('mock-api', {
    MOCK_CUSTOMERS: String(customers),
    MOCK_LATENCY_MS: String(latency),
    LOG_LEVEL: 'warn',
  });
  const results = [];
  try {
    results.push(await ingest('1 process, role all', database.url, source, ['all']));
    for (const workers of workerCounts) {
      const roles = ['api', ...Array.from({ length: workers }, () => 'worker')];
      results.push(
        await ingest(`1 api + ${workers} worker${workers > 1 ? 's' : ''}`, database.url, source, roles),
      );
    }
  } finally {
    await source.stop();
    await database.stop();
  }
  const single = results[0].records_per_s;
  console.log(
    `\n${customers} customers, source latency ${latency} ms per page, INGEST_CONCURRENCY default\n`,
  );
  console.log('| setup | seconds | records/s | speed-up over 1 process | ranges retried |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of results)
    console.log(
      `| ${r.setup} | ${r.seconds} | ${r.records_per_s} | ${(r.records_per_s / single).toFixed(2)} | ${r.ranges_retried} |`,
    );
  console.log(
    JSON.stringify({
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL 15 (embedded-postgres)',
      customers,
      latency_ms: latency,
      results,
    }),
  );
}

await main();
