import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { IngestProgress, LineReporter, ProgressBarReporter } from './progress-reporter';

const progress = (overrides: Partial<IngestProgress>): IngestProgress => ({
  runId: 7,
  phase: 'fetching',
  pagesDone: 0,
  pagesTotal: 10,
  records: 0,
  failed: 0,
  ...overrides,
});

/** A terminal of 160 columns that keeps the frames drawn on it, without the cursor movements between them. */
function terminal(): { stream: NodeJS.WriteStream; frames: () => string[] } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      writes.push(String(chunk));
      done();
    },
  });
  Object.assign(stream, { isTTY: true, columns: 160 });
  const frames = () =>
    writes.map((write) => stripVTControlCharacters(write).trim()).filter((w) => w.includes('pages'));
  return { stream: stream as unknown as NodeJS.WriteStream, frames };
}

describe('ProgressBarReporter', () => {
  it.each(['succeeded', 'failed'] as const)(
    'ends on a frame that says the run %s, with its counts',
    (outcome) => {
      const { stream, frames } = terminal();
      const reporter = new ProgressBarReporter(stream);
      reporter.update(progress({ pagesDone: 4, records: 400, failed: 2 }));
      reporter.update(progress({ phase: 'merging', pagesDone: 10, records: 1000, failed: 3 }));
      reporter.finish(outcome);

      const last = frames().at(-1);
      expect(last).toMatch(
        new RegExp(`^${outcome} \\[.*\\] 10/10 pages \\| 1000 records \\| \\d+ rec/s \\| 3 failed$`),
      );
      expect(last).not.toContain('ETA');
    },
  );

  it('draws nothing when the run ended before any progress', () => {
    const { stream, frames } = terminal();
    new ProgressBarReporter(stream).finish('failed');
    expect(frames()).toEqual([]);
  });
});

describe('LineReporter', () => {
  it('ends with a line that says how the run ended, with its counts', () => {
    const lines: string[] = [];
    const reporter = new LineReporter((line) => lines.push(line));
    reporter.update(progress({ phase: 'merging', pagesDone: 3, records: 300, failed: 1 }));
    reporter.finish('failed');
    expect(lines.at(-1)).toMatch(/^run 7 failed: 3\/10 pages, 300 records, \d+ rec\/s, 1 failed$/);
  });
});
