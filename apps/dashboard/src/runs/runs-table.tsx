import type { IngestRun, Page } from '../api/pipeline-types';
import { formatCount, formatDuration, formatTime, modeOf } from './run-format';
import { StatusBadge } from './status-badge';

interface RunsTableProps {
  runs: Page<IngestRun> | null;
  onPage: (page: number) => void;
}

/** The runs, newest first, one page at a time: the page never holds more than one page of runs. */
export function RunsTable({ runs, onPage }: RunsTableProps) {
  if (!runs) return <p class="muted">Loading runs…</p>;
  const pages = Math.max(1, Math.ceil(runs.total / runs.limit));
  // Deleted and restored counts exist only where the pipeline reports them.
  const lifecycle = runs.data.some(
    (run) => run.records_deleted !== undefined || run.records_restored !== undefined,
  );
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
              <th scope="col" class="number">
                Inserted
              </th>
              <th scope="col" class="number">
                Updated
              </th>
              <th scope="col" class="number">
                Unchanged
              </th>
              <th scope="col" class="number">
                Failed
              </th>
              {lifecycle && (
                <>
                  <th scope="col" class="number">
                    Deleted
                  </th>
                  <th scope="col" class="number">
                    Restored
                  </th>
                </>
              )}
              <th scope="col">Failure reason</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.length === 0 && (
              <tr>
                <td colSpan={lifecycle ? 13 : 11} class="muted">
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
                <td class="number">{formatCount(run.records_inserted)}</td>
                <td class="number">{formatCount(run.records_updated)}</td>
                <td class="number">{formatCount(run.records_unchanged)}</td>
                <td class="number">{formatCount(run.records_failed)}</td>
                {lifecycle && (
                  <>
                    <td class="number">{formatCount(run.records_deleted)}</td>
                    <td class="number">{formatCount(run.records_restored)}</td>
                  </>
                )}
                <td class="reason">{run.error ?? ''}</td>
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
