import { useRef, useState } from 'preact/hooks';
import { ApiError, pipelineApi } from '../api/pipeline-client';
import type { FailureRuleGroup, IngestRun } from '../api/pipeline-types';
import { usePolling } from '../use-polling';
import { LiveProgress } from './live-progress';
import { formatCount, formatDuration, formatTime, isActive, modeOf } from './run-format';
import { StatusBadge } from './status-badge';

/** How often the failure groups of a run going on are read again. */
const GROUPS_REFRESH_MS = 6000;

interface RunDetailProps {
  runId: number;
  /** Errors that are not about this run (a key is needed, the pipeline is down) go up to the page. */
  onError: (error: unknown) => void;
  /** The runs list changed (a review settled a run). */
  onChanged: () => void;
}

function Findings({ findings }: { findings: IngestRun['findings'] }) {
  if (!findings) return null;
  return (
    <section aria-labelledby="findings-heading">
      <h3 id="findings-heading">Guard findings</h3>
      {findings.length === 0 ? (
        <p class="muted">No guard found anything.</p>
      ) : (
        <ul class="findings" data-testid="findings">
          {findings.map((finding, index) => (
            <li key={index} class={`finding finding-${finding.action}`}>
              <span class="badge">{finding.action}</span> <strong>{finding.guard}</strong>: {finding.message}
              {finding.details !== undefined && finding.details !== null && (
                <details>
                  <summary>Details</summary>
                  <pre>{JSON.stringify(finding.details, null, 2)}</pre>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function FailureGroups({ groups }: { groups: FailureRuleGroup[] | null }) {
  return (
    <section aria-labelledby="failures-heading">
      <h3 id="failures-heading">Quarantined records by rule</h3>
      {groups === null ? (
        <p class="muted">Loading…</p>
      ) : groups.length === 0 ? (
        <p class="muted">No record of this run was quarantined.</p>
      ) : (
        <div
          class="table-scroll"
          tabIndex={0}
          aria-label="Failures table, scrolls sideways on narrow screens"
        >
          <table data-testid="failure-groups">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Rule</th>
                <th scope="col">Reason</th>
                <th scope="col" class="number">
                  Records
                </th>
                <th scope="col">Example</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <tr key={`${group.reason}/${group.field}/${group.rule}`}>
                  <td>{group.field}</td>
                  <td>
                    <code>{group.rule}</code>
                  </td>
                  <td>{group.reason}</td>
                  <td class="number">{formatCount(group.count)}</td>
                  <td class="example">
                    {group.example_customer_id && <code>{group.example_customer_id}</code>}{' '}
                    {group.example_message}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Approve or reject a run held in `needs_review`; shown for such runs only. */
function Review({ run, onDone }: { run: IngestRun; onDone: (answer: string) => void }) {
  const [busy, setBusy] = useState(false);
  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    try {
      const answer = await pipelineApi.write<Partial<IngestRun>>(`/api/ingest/runs/${run.id}/${decision}`);
      onDone(
        `${decision === 'approve' ? 'Approved' : 'Rejected'}: run ${run.id} is now ${answer.status ?? 'settled'}.`,
      );
    } catch (error) {
      onDone(
        error instanceof ApiError
          ? `Could not ${decision} run ${run.id}: ${error.message} (HTTP ${error.status})`
          : String(error),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="review" role="group" aria-label={`Review run ${run.id}`}>
      <p>This run is held for review: nothing of it is applied until it is approved.</p>
      <button type="button" class="primary" disabled={busy} onClick={() => decide('approve')}>
        Approve run {run.id}
      </button>{' '}
      <button type="button" class="danger" disabled={busy} onClick={() => decide('reject')}>
        Reject run {run.id}
      </button>
    </div>
  );
}

/** One run: its fields, notes, guard findings, quarantined records by rule, and its review. */
export function RunDetail({ runId, onError, onChanged }: RunDetailProps) {
  const [run, setRun] = useState<IngestRun | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [groups, setGroups] = useState<FailureRuleGroup[] | null>(null);
  const [answer, setAnswer] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const active = run !== null && isActive(run);
  const groupsReadAt = useRef(0);

  usePolling(
    async () => {
      try {
        const loaded = await pipelineApi.read<IngestRun>(`/api/ingest/runs/${runId}`);
        setRun(loaded);
        setMissing(null);
        // The groups are one GROUP BY over the run's failures (about a second at a million): while the run
        // reads, every few seconds is enough.
        if (!isActive(loaded) || Date.now() - groupsReadAt.current >= GROUPS_REFRESH_MS) {
          groupsReadAt.current = Date.now();
          const summary = `/api/ingest/runs/${runId}/failures/summary`;
          setGroups((await pipelineApi.read<{ data: FailureRuleGroup[] }>(summary)).data);
        }
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) setMissing(error.message);
        else onError(error);
      }
    },
    active ? 1500 : null,
    [runId, active, version],
  );

  if (missing) return <p role="alert">{missing}</p>;
  if (!run) return <p class="muted">Loading run {runId}…</p>;
  const fields: [string, string][] = [
    ['Trigger', run.trigger],
    ['Mode', modeOf(run)],
    ['Source', run.source],
    ['Started', formatTime(run.started_at)],
    ['Finished', formatTime(run.finished_at)],
    ['Duration', formatDuration(run.duration_ms)],
    ['Pages', `${formatCount(run.pages_fetched)} of ${formatCount(run.pages_total)}`],
    ['Records read', formatCount(run.records_processed)],
    ['Inserted', formatCount(run.records_inserted)],
    ['Updated', formatCount(run.records_updated)],
    ['Unchanged', formatCount(run.records_unchanged)],
    ['Failed', formatCount(run.records_failed)],
    ...(run.records_deleted !== undefined
      ? ([['Deleted', formatCount(run.records_deleted)]] as [string, string][])
      : []),
    ...(run.records_restored !== undefined
      ? ([['Restored', formatCount(run.records_restored)]] as [string, string][])
      : []),
    ['Duplicates', formatCount(run.records_duplicate)],
    ['Source retries', formatCount(run.retries)],
  ];
  return (
    <article class="detail" aria-labelledby="detail-heading" data-testid="run-detail">
      <p>
        <a href="#/">← All runs</a>
      </p>
      <h2 id="detail-heading">
        Run {run.id} <StatusBadge status={run.status} />
      </h2>
      {active && <LiveProgress run={run} />}
      {run.status === 'needs_review' && (
        <Review
          run={run}
          onDone={(text) => {
            setAnswer(text);
            setVersion((v) => v + 1);
            onChanged();
          }}
        />
      )}
      {answer && (
        <p role="status" class="answer" data-testid="review-answer">
          {answer}
        </p>
      )}
      {run.error && (
        <p class="error-text">
          <strong>Failure reason:</strong> {run.error}
        </p>
      )}
      <dl class="fields">
        {fields.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {run.notes && (
        <section aria-labelledby="notes-heading">
          <h3 id="notes-heading">Notes</h3>
          <ul>
            {run.notes.split('; ').map((note, index) => (
              <li key={index}>{note}</li>
            ))}
          </ul>
        </section>
      )}
      <Findings findings={run.findings} />
      <FailureGroups groups={groups} />
    </article>
  );
}
