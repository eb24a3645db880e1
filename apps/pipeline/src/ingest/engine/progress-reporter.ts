import { Format, GenericFormatter, SingleBar } from 'cli-progress';

/** What the command line shows of a run while it goes on, read from the run's row. */
export interface IngestProgress {
  runId: number;
  phase: string;
  pagesDone: number;
  pagesTotal: number | null;
  records: number;
  failed: number;
}

/** How a run ended, as the last frame or line of its progress says it. */
export type RunOutcome = 'succeeded' | 'failed' | 'held for review';

export interface ProgressReporter {
  update(progress: IngestProgress): void;
  /** Shows that the run ended, and how, with its last counts; nothing when no progress was reported. */
  finish(outcome: RunOutcome): void;
}

function rate(progress: IngestProgress, startedAt: number): number {
  return Math.round(progress.records / Math.max(0.001, (Date.now() - startedAt) / 1000));
}

const COUNTS = ' {phase} [{bar}] {value}/{total} pages | {records} records | {rate} rec/s | {failed} failed';

/** The ETA while the run goes on; none once it has ended, instead of a stale `ETA 0s`. */
const frame: GenericFormatter = (options, params, payload: { ended?: boolean }) =>
  Format.Formatter(
    { ...options, format: payload.ended ? COUNTS : `${COUNTS} | ETA {eta_formatted}` },
    params,
    payload,
  );

/** A live bar on a terminal: pages, records/s and the ETA cli-progress derives from the page rate. */
export class ProgressBarReporter implements ProgressReporter {
  private readonly startedAt = Date.now();
  private readonly bar: SingleBar;
  private started = false;

  /** The bar is drawn on the stream whose being a terminal chose it. */
  constructor(stream: NodeJS.WriteStream = process.stdout) {
    this.bar = new SingleBar({ format: frame, hideCursor: true, etaBuffer: 50, stream });
  }

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

  finish(outcome: RunOutcome): void {
    if (!this.started) return;
    // stop() draws the last frame, with this payload.
    this.bar.update({ phase: outcome, ended: true });
    this.bar.stop();
  }
}

/** Plain lines for logs and pipes: one every `intervalMs`, one per phase change, and one at the end. */
export class LineReporter implements ProgressReporter {
  private readonly startedAt = Date.now();
  private lastLine = 0;
  private lastPhase = '';
  private last: IngestProgress | undefined;

  constructor(
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    private readonly intervalMs = 2000,
  ) {}

  update(progress: IngestProgress): void {
    this.last = progress;
    const now = Date.now();
    if (now - this.lastLine < this.intervalMs && progress.phase === this.lastPhase) return;
    this.lastLine = now;
    this.lastPhase = progress.phase;
    const left = progress.pagesTotal === null ? null : progress.pagesTotal - progress.pagesDone;
    const eta =
      left === null || progress.pagesDone === 0
        ? ''
        : `, ETA ${Math.round((left * (now - this.startedAt)) / progress.pagesDone / 1000)}s`;
    this.write(`${this.describe(progress, progress.phase)}${eta}`);
  }

  finish(outcome: RunOutcome): void {
    if (this.last) this.write(this.describe(this.last, outcome));
  }

  private describe(progress: IngestProgress, state: string): string {
    const pages =
      progress.pagesTotal === null ? `${progress.pagesDone}` : `${progress.pagesDone}/${progress.pagesTotal}`;
    const perSecond = rate(progress, this.startedAt);
    return `run ${progress.runId} ${state}: ${pages} pages, ${progress.records} records, ${perSecond} rec/s, ${progress.failed} failed`;
  }
}
