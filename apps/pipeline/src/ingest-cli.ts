import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppModule } from './app/app.module';
import { CsvPageSource } from './ingest/csv-page.source';
import { IngestRunService } from './ingest/ingest-run.service';
import { PageSourceRegistry } from './ingest/page-source.registry';
import { LineReporter, ProgressBarReporter, ProgressReporter } from './ingest/progress-reporter';

const USAGE = `usage: npm run ingest [-- --csv FILE]
  Runs one ingest with a live progress bar: from the source API at SOURCE_URL, or from a CSV file.
  Exits 0 when the run succeeds, 1 when it fails, 2 on a usage error.`;

function readArguments(): { csv?: string } {
  try {
    const { values } = parseArgs({ options: { csv: { type: 'string' }, help: { type: 'boolean' } } });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    return { csv: values.csv };
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<number> {
  const { csv } = readArguments();
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(), { logger: ['error'] });
  // Ctrl-C stops the run at its next page, marks it interrupted (the next ingest resumes it), exits 1.
  process.once('SIGINT', () => void app.close());
  const reporter: ProgressReporter = process.stdout.isTTY ? new ProgressBarReporter() : new LineReporter();
  try {
    const source = csv ? new CsvPageSource(resolve(csv)) : app.get(PageSourceRegistry).resolve('api');
    const started = await app
      .get(IngestRunService)
      .start('cli', source, (progress) => reporter.update(progress));
    const run = await started.completion;
    reporter.stop();
    console.log(
      `run ${run.id} succeeded in ${((run.finished_at?.getTime() ?? Date.now()) - run.started_at.getTime()) / 1000}s: ` +
        `${run.records_processed} records, ${run.records_inserted} inserted, ${run.records_updated} updated, ` +
        `${run.records_unchanged} unchanged, ${run.records_failed} failed` +
        (run.notes ? `\nnotes: ${run.notes}` : ''),
    );
    return 0;
  } catch (error) {
    reporter.stop();
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
