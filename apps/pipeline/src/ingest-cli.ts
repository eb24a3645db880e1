import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { IngestMode, IngestRunRepository } from '@customer-pipeline/data-access';
import { AppModule } from './app/app.module';
import { IngestRunService } from './ingest/engine/ingest-run.service';
import { PageSourceRegistry } from './ingest/sources/page-source.registry';
import {
  IngestProgress,
  LineReporter,
  ProgressBarReporter,
  ProgressReporter,
} from './ingest/engine/progress-reporter';

/** How often the bar shows the run's counters, which any process of the pipeline may be advancing. */
const PROGRESS_POLL_MS = 500;

const USAGE = `usage: npm run ingest [-- --csv FILE | --incremental]
  Runs one ingest with a live progress bar: from the source API at SOURCE_URL (in full, or with
  --incremental only what changed since the checkpoint), or from a CSV file.
  Exits 0 when the run succeeds, 1 when it fails, 2 on a usage error, 3 when a guard holds it for review.`;

/** The exit code of a run that a quality guard holds in needs_review: neither a success nor a failure. */
const HELD_FOR_REVIEW = 3;

function readArguments(): { csv?: string; mode: IngestMode } {
  try {
    const { values } = parseArgs({
      options: { csv: { type: 'string' }, incremental: { type: 'boolean' }, help: { type: 'boolean' } },
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    if (values.csv && values.incremental) throw new Error('--csv and --incremental do not go together');
    return { csv: values.csv, mode: values.incremental ? 'incremental' : 'full' };
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

function progressOf(run: {
  id: number;
  phase: string;
  pages_fetched: number;
  pages_total: number | null;
  records_processed: number;
  records_failed: number;
}): IngestProgress {
  return {
    runId: run.id,
    phase: run.phase,
    pagesDone: run.pages_fetched,
    pagesTotal: run.pages_total,
    records: run.records_processed,
    failed: run.records_failed,
  };
}

async function main(): Promise<number> {
  const { csv, mode } = readArguments();
  // This process works on the run too (role `all`), beside any pipeline processes that share the database;
  // it leaves the INGEST_CRON schedule alone.
  const app = await NestFactory.createApplicationContext(await AppModule.forRoot({}, { schedule: false }), {
    logger: ['error'],
  });
  // Ctrl-C stops this process's part of the run at its next page and hands the run back to the queue
  // (another pipeline process, or the next ingest, goes on with it); exits 1.
  process.once('SIGINT', () => void app.close());
  const reporter: ProgressReporter = process.stdout.isTTY ? new ProgressBarReporter() : new LineReporter();
  try {
    const sources = app.get(PageSourceRegistry);
    // npm runs scripts from the package's folder; a relative path means the folder the command ran in.
    const source = csv ? sources.csv(csv, process.env['INIT_CWD'] ?? process.cwd()) : sources.resolve('api');
    const started = await app.get(IngestRunService).start('cli', source, mode);
    const runs = app.get(IngestRunRepository);
    const timer = setInterval(() => {
      void runs.findById(started.run.id).then(
        (run) => run && reporter.update(progressOf(run)),
        () => undefined,
      );
    }, PROGRESS_POLL_MS);
    const run = await started.outcome().finally(() => clearInterval(timer));
    reporter.update(progressOf(run));
    if (run.status === 'needs_review') {
      reporter.finish('held for review');
      console.log(
        `run ${run.id} needs review, nothing applied: ${run.findings.map((finding) => finding.message).join('; ')}` +
          `\napprove it with POST /api/ingest/runs/${run.id}/approve, or reject it with /reject`,
      );
      return HELD_FOR_REVIEW;
    }
    reporter.finish('succeeded');
    console.log(
      `run ${run.id} succeeded in ${((run.finished_at?.getTime() ?? Date.now()) - run.started_at.getTime()) / 1000}s: ` +
        `${run.records_processed} records, ${run.records_inserted} inserted, ${run.records_updated} updated, ` +
        `${run.records_unchanged} unchanged, ${run.records_deleted} deleted, ${run.records_restored} restored, ` +
        `${run.records_failed} failed` +
        (run.notes ? `\nnotes: ${run.notes}` : ''),
    );
    return 0;
  } catch (error) {
    reporter.finish('failed');
    console.error(`ingest failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    Logger.error(error);
    process.exit(1);
  },
);
