import { SingleBar } from 'cli-progress';

/** What the command line shows of a run while it goes on, read from the run's row. */
export interface IngestProgress {
  runId: number;
  phase: string;
  pagesDone: number;
  pagesTotal: number | null;
  records: number;
  failed: number;
}

export interface ProgressReporter {
  update(progress: IngestProgress): void;
  stop(): void;
}

function rate(progress: IngestProgress, startedAt: number): number {
  return Math.round(progress.records / Math.max(0.001, (Date.now() - startedAt) / 1000));
}

/** A live bar on a terminal: pages, records/s and the ETA cli-progress derives from the page rate. */
export class ProgressBarReporter implements ProgressReporter {
  private readonly startedAt = Date.now();
  private readonly bar = new SingleBar({
    format:
      ' {phase} [{bar}] {value}/{total} pages | {records} records | {rate} rec/s | {failed} failed | ETA {eta_formatted}',
    hideCursor: true,
    etaBuffer: 50,
  });
  private started = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {}

  update(progress: IngestProgress): void {
    const values = {
      phase: progress.phase,
      records: progress.records,
      rate: rate(progress, this.startedAt),
      failed: progress.failed,
    };
    const total = progress.pagesTotal ?? progress.pagesDone;
    if (!this.started) {
      this.bar.start(total, progress.pagesDone, values);
      this.started = true;
    }
    this.bar.setTotal(total);
    this.bar.update(progress.pagesDone, values);
  }

  stop(): void {
    if (this.started) this.bar.stop();
    else this.stream.write('');
  }
}

/** Plain lines for logs and pipes: one every `intervalMs`, and one per phase change. */
export class LineReporter implements ProgressReporter {
  private readonly startedAt = Date.now();
  private lastLine = 0;
  private lastPhase = '';

  constructor(
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    private readonly intervalMs = 2000,
  ) {}

  update(progress: IngestProgress): void {
    const now = Date.now();
    if (now - this.lastLine < this.intervalMs && progress.phase === this.lastPhase) return;
    this.lastLine = now;
    this.lastPhase = progress.phase;
    const pages =
      progress.pagesTotal === null ? `${progress.pagesDone}` : `${progress.pagesDone}/${progress.pagesTotal}`;
    const perSecond = rate(progress, this.startedAt);
    const left = progress.pagesTotal === null ? null : progress.pagesTotal - progress.pagesDone;
    const eta =
      left === null || progress.pagesDone === 0
        ? ''
        : `, ETA ${Math.round((left * (now - this.startedAt)) / progress.pagesDone / 1000)}s`;
    this.write(
      `run ${progress.runId} ${progress.phase}: ${pages} pages, ${progress.records} records, ${perSecond} rec/s, ${progress.failed} failed${eta}`,
    );
  }

  stop(): void {
    this.lastLine = 0;
  }
}
