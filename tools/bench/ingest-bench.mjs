#!/usr/bin/env node
// npm run bench:ingest -- [--customers 1000000] [--small 10000] [--rounds 3] [--concurrency N]
// Starts the mock API with generated customers and the pipeline on a real PostgreSQL (DATABASE_URL, or an
// embedded cluster), then measures: a cold ingest into an empty table, a re-ingest of unchanged data, a
// re-ingest with 10% of records changed, and an incremental run against a full one from the same table (1%
// changed, 0.5% deleted, with the time the full run spends looking for deletes); wall time, records/s,
// customer rows written and the pipeline's peak RSS for each. In the same run it times
// ../shared/bench/reference-ingest.mjs on the same mock API and prints the pipeline's records/s as a ratio
// of the reference's. The reference and the cold ingest run in alternation for several rounds, and the
// median round is reported: on a shared VM either alone varies by a third from one minute to the next.
// Prints Markdown tables and JSON.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { queryRows } from '../stack/embedded-postgres.mjs';
import { provideDatabase } from '../stack/with-database.mjs';
import { emptyCustomers, freePort, settle, startApp, wholeOption } from './bench-apps.mjs';
import { postgresPids, withCpuSampling } from './cpu-sampler.mjs';

const root = resolve(import.meta.dirname, '../..');
const reference = resolve(root, '../shared/bench/reference-ingest.mjs');
const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    small: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string' },
  },
});
const customers = wholeOption('ingest-bench', 'customers', args.customers);
const small = wholeOption('ingest-bench', 'small', args.small);
const rounds = wholeOption('ingest-bench', 'rounds', args.rounds);

/** CPU microseconds per record of the source, the client and PostgreSQL, or null off Linux. */
function cpuPerRecord(cpu, records) {
  if (!cpu) return null;
  const perRecord = (seconds) => +((seconds * 1e6) / records).toFixed(1);
  return {
    mock: perRecord(cpu.mock),
    client: perRecord(cpu.client),
    postgres: perRecord(cpu.postgres),
    total: perRecord(cpu.mock + cpu.client + cpu.postgres),
  };
}

const sampled = (mockPid, clientPid) => ({
  mock: () => [mockPid],
  client: () => [clientPid],
  postgres: postgresPids,
});

/** One ingest in a fresh pipeline process, so that its peak RSS belongs to this ingest alone. */
async function ingest(label, databaseUrl, source, mode = 'full') {
  await settle(databaseUrl);
  const pipeline = await startApp('pipeline', {
    DATABASE_URL: databaseUrl,
    SOURCE_URL: source.url,
    ...(args.concurrency ? { INGEST_CONCURRENCY: args.concurrency } : {}),
  });
  const started = process.hrtime.bigint();
  const { result: response, cpu } = await withCpuSampling(sampled(source.pid, pipeline.pid), () =>
    fetch(`${pipeline.url}/api/ingest?mode=${mode}`, { method: 'POST' }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const body = await response.json();
  const peakRssMb = pipeline.peakRssMb();
  const deletesLooked = pipeline.logged('looked for deletes');
  await pipeline.stop();
  if (response.status !== 200) throw new Error(`${label}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return {
    scenario: label,
    records: body.records_processed,
    seconds: +seconds.toFixed(2),
    records_per_s: Math.round(body.records_processed / seconds),
    rows_written: body.inserted + body.updated + body.deleted + body.restored,
    inserted: body.inserted,
    updated: body.updated,
    unchanged: body.unchanged,
    failed: body.failed,
    deleted: body.deleted,
    restored: body.restored,
    mode: body.mode,
    status: body.status,
    delete_detection_ms: deletesLooked?.ms ?? null,
    peak_rss_mb: Math.round(peakRssMb),
    cpu_us_per_record: cpuPerRecord(cpu, body.records_processed),
  };
}

async function runReference(source, databaseUrl) {
  const child = spawn(process.execPath, [reference, '--source', source.url, '--db', databaseUrl, '--fresh'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const { result: status, cpu } = await withCpuSampling(
    sampled(source.pid, child.pid),
    () => new Promise((done) => child.once('exit', done)),
  );
  if (status !== 0) throw new Error(`reference-ingest failed: ${stderr}`);
  const result = JSON.parse(stdout.trim().split('\n').pop());
  return { ...result, cpu_us_per_record: cpuPerRecord(cpu, result.records) };
}

/**
 * Incremental sync against a full run, from the same table: the source's revision 2 changes 1% of the
 * customers and deletes 0.5%, and the table holds revision 1. The mock API keeps one port throughout, so that
 * the pipeline sees one source (its checkpoint is per source URL). Revision 1 is applied again by a full run
 * between the two measured runs, so that both start from it.
 */
async function incrementalAgainstFull(databaseUrl) {
  const port = await freePort();
  const rates = { MOCK_CUSTOMERS: String(customers), MOCK_CHANGE_RATE: '0.01', MOCK_DELETE_RATE: '0.005' };
  const atRevision = async (revision, run) => {
    const mock = await startApp('mock-api', { ...rates, MOCK_REVISION: String(revision) }, port);
    try {
      return await run(mock);
    } finally {
      await mock.stop();
    }
  };
  await atRevision(1, (mock) => ingest('set-up: full run to revision 1', databaseUrl, mock));
  const incremental = await atRevision(2, (mock) =>
    ingest('incremental, 1% changed, 0.5% deleted', databaseUrl, mock, 'incremental'),
  );
  await atRevision(1, (mock) => ingest('set-up: back to revision 1', databaseUrl, mock));
  const full = await atRevision(2, (mock) => ingest('full, 1% changed, 0.5% deleted', databaseUrl, mock));
  return { incremental, full };
}

function printSync({ incremental, full }) {
  console.log(
    '\n| run from revision 1 to 2 | records read | seconds | rows written | deleted | delete detection (ms) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const run of [incremental, full]) {
    console.log(
      `| ${run.scenario} | ${run.records} | ${run.seconds} | ${run.rows_written} | ${run.deleted} | ${run.delete_detection_ms ?? '-'} |`,
    );
  }
  const share = (part, whole) => +(part / whole).toFixed(3);
  console.log(
    `incremental records read / full: ${share(incremental.records, full.records)} (target <= 0.02)`,
  );
  console.log(`incremental seconds / full: ${share(incremental.seconds, full.seconds)} (target <= 0.10)`);
  console.log(
    `delete detection / full run time: ${share(full.delete_detection_ms / 1000, full.seconds)} (target <= 0.20)`,
  );
}

async function main() {
  if (!existsSync(reference)) throw new Error(`${reference} is missing`);
  spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'mock-api', 'pipeline', '--output-style=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const database = await provideDatabase('bench');
  const results = [];
  try {
    // Each side reads from a mock API of its own, started fresh, so neither inherits the other's warm-up.
    const pairs = [];
    let mock;
    // The pipeline's mock keeps one port: a source at another URL is another source, and every customer
    // read from it is written again, its lineage changed.
    const port = await freePort();
    for (let round = 1; round <= rounds; round++) {
      const referenceMock = await startApp('mock-api', { MOCK_CUSTOMERS: String(customers) });
      // The previous round's million customers would otherwise be vacuumed while the reference runs.
      await emptyCustomers(database.url);
      await settle(database.url);
      const reference = await runReference(referenceMock, database.url);
      await referenceMock.stop();
      await queryRows(database.url, 'DROP TABLE IF EXISTS reference_customers');
      await mock?.stop();
      mock = await startApp('mock-api', { MOCK_CUSTOMERS: String(customers) }, port);
      const cold = await ingest(`cold, ${customers} customers`, database.url, mock);
      pairs.push({
        round,
        reference,
        cold,
        ratio: +(cold.records_per_s / reference.records_per_s).toFixed(2),
      });
    }
    const median = [...pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor(pairs.length / 2)];
    results.push(median.cold);
    // The table of the last round is still there: the re-ingest reads it again.
    results.push(await ingest('re-ingest, unchanged', database.url, mock));
    await mock.stop();

    const changed = await startApp(
      'mock-api',
      { MOCK_CUSTOMERS: String(customers), MOCK_REVISION: '1', MOCK_CHANGE_RATE: '0.1' },
      port,
    );
    results.push(await ingest('re-ingest, 10% changed', database.url, changed));
    await changed.stop();

    const sync = await incrementalAgainstFull(database.url);

    await emptyCustomers(database.url);
    const smallMock = await startApp('mock-api', { MOCK_CUSTOMERS: String(small) });
    results.push(await ingest(`cold, ${small} customers`, database.url, smallMock));
    await smallMock.stop();

    const summary = {
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL 15 (embedded-postgres)',
      reference: median.reference,
      cold_vs_reference: median.ratio,
      rounds: pairs.map(({ round, reference, cold, ratio }) => ({
        round,
        reference_seconds: reference.seconds,
        cold_seconds: cold.seconds,
        ratio,
      })),
      rss_growth_mb: results[0].peak_rss_mb - results[3].peak_rss_mb,
    };
    console.log('| scenario | records | seconds | records/s | rows written | peak RSS (MB) |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of results) {
      console.log(
        `| ${r.scenario} | ${r.records} | ${r.seconds} | ${r.records_per_s} | ${r.rows_written} | ${r.peak_rss_mb} |`,
      );
    }
    console.log(
      `| reference-ingest.mjs | ${median.reference.records} | ${median.reference.seconds} | ${median.reference.records_per_s} | ${median.reference.rows_written} | - |`,
    );
    console.log('\n| round | reference (s) | cold ingest (s) | cold / reference records/s |');
    console.log('| ---: | ---: | ---: | ---: |');
    for (const pair of pairs) {
      console.log(`| ${pair.round} | ${pair.reference.seconds} | ${pair.cold.seconds} | ${pair.ratio} |`);
    }
    if (median.cold.cpu_us_per_record) {
      console.log('\n| CPU µs per record, median round | mock API | client | PostgreSQL | total |');
      console.log('| --- | ---: | ---: | ---: | ---: |');
      for (const [side, figures] of [
        ['reference-ingest.mjs', median.reference.cpu_us_per_record],
        ['pipeline, cold ingest', median.cold.cpu_us_per_record],
      ]) {
        console.log(
          `| ${side} | ${figures.mock} | ${figures.client} | ${figures.postgres} | ${figures.total} |`,
        );
      }
    }
    console.log(
      `\ncold ingest / reference records/s, median of ${pairs.length} rounds: ${summary.cold_vs_reference} (target >= 0.70)`,
    );
    console.log(`unchanged re-ingest customer rows written: ${results[1].rows_written} (target 0)`);
    console.log(
      `peak RSS growth ${small} -> ${customers} customers: ${summary.rss_growth_mb} MB (target <= 150)`,
    );
    printSync(sync);
    console.log(JSON.stringify({ ...summary, results, sync }));
  } finally {
    await database.stop();
  }
}

await main();
