import type { IngestRun } from '../api/pipeline-types';
import { formatCount, formatDuration } from './run-format';
import { StatusBadge } from './status-badge';

/** The live progress of the run going on: pages, records per second, time left, and its range jobs. */
export function LiveProgress({ run }: { run: IngestRun }) {
  const { progress } = run;
  const percent = progress.percent ?? 0;
  return (
    <section class="live" aria-labelledby="live-heading" data-testid="live-progress">
      <h2 id="live-heading">
        Run <a href={`#/runs/${run.id}`}>#{run.id}</a> <StatusBadge status={run.status} />
      </h2>
      <progress max={100} value={progress.percent ?? undefined} aria-label={`Run ${run.id} progress`}>
        {percent}%
      </progress>
      <p aria-live="polite" class="live-numbers">
        <span data-testid="live-pages">
          {formatCount(progress.pages_done)} of {formatCount(progress.pages_total)} pages
          {progress.percent !== null && ` (${progress.percent}%)`}
        </span>
        {' · '}
        <span>{formatCount(progress.records_per_second)} records/s</span>
        {' · '}
        <span>
          {progress.eta_seconds === null ? 'ETA –' : `ETA ${formatDuration(progress.eta_seconds * 1000)}`}
        </span>
        {' · '}
        <span>phase {progress.phase}</span>
      </p>
      {progress.ranges && (
        <p class="muted">
          Ranges: {progress.ranges.done}/{progress.ranges.total} done, {progress.ranges.running} running,{' '}
          {progress.ranges.queued} queued, {progress.ranges.retried} retried, {progress.ranges.failed} failed
        </p>
      )}
    </section>
  );
}
