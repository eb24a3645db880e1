import type { IngestRun, Page } from '../api/pipeline-types';
import { formatCount, formatDuration, formatTime, modeOf, reasonOf } from './run-format';
import { StatusBadge } from './status-badge';

type RecordCount =
  | 'records_inserted'
  | 'records_updated'
  | 'records_unchanged'
  | 'records_failed'
  | 'records_deleted'
  | 'records_restored';

const OUTCOME_COUNTS: [string, RecordCount][] = [
  ['Inserted', 'records_inserted'],
  ['Updated', 'records_updated'],
  ['Unchanged', 'records_unchanged'],
  ['Failed', 'records_failed'],
];

/** Only where the pipeline reports them. */
const LIFECYCLE_COUNTS: [string, RecordCount][] = [
  ['Deleted', 'records_deleted'],
  ['Restored', 'records_restored'],
];

interface RunsTableProps {
  runs: Page<IngestRun> | null;
  onPage: (page: number) => void;
}

/** The runs, newest first, one page at a time: the page never holds more than one page of runs. */
export function RunsTable({ runs, onPage }: RunsTableProps) {
  if (!runs) return <p class="muted">Loading runs…</p>;
  const pages = Math.max(1, Math.ceil(runs.total / runs.limit));
  const lifecycle = runs.data.some((run) => LIFECYCLE_COUNTS.some(([, count]) => run[count] !== undefined));
  const counts = lifecycle ? [...OUTCOME_COUNTS, ...LIFECYCLE_COUNTS] : OUTCOME_COUNTS;
  return (
    <section aria-labelledby="runs-heading">
      <h2 id="runs-heading">Runs</h2>
      <div class="table-scroll" tabIndex={0} aria-label="Runs table, scrolls sideways on narrow screens">
        <table data-testid="runs-table">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Trigger</th>
              <th scope="col">Mode</th>
              <th scope="col">Started</th>
              <th scope="col" class="number">
                Duration
              </th>
              {counts.map(([label]) => (
                <th key={label} scope="col" class="number">
                  {label}
                </th>
              ))}
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.length === 0 && (
              <tr>
                <td colSpan={7 + counts.length} class="muted">
                  No runs yet: start an ingest.
                </td>
              </tr>
            )}
            {runs.data.map((run) => (
              <tr key={run.id} data-run-id={run.id}>
                <td>
                  <a href={`#/runs/${run.id}`}>#{run.id}</a>
                </td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>{run.trigger}</td>
                <td>{modeOf(run)}</td>
                <td class="nowrap">{formatTime(run.started_at)}</td>
                <td class="number nowrap">{formatDuration(run.duration_ms)}</td>
                {counts.map(([label, count]) => (
                  <td key={label} class="number">
                    {formatCount(run[count])}
                  </td>
                ))}
                <td class="reason">{reasonOf(run)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label="Runs pages">
        <button type="button" disabled={runs.page <= 1} onClick={() => onPage(runs.page - 1)}>
          Newer
        </button>
        <span>
          Page {runs.page} of {pages} ({formatCount(runs.total)} runs)
        </span>
        <button type="button" disabled={runs.page >= pages} onClick={() => onPage(runs.page + 1)}>
          Older
        </button>
      </nav>
    </section>
  );
}
