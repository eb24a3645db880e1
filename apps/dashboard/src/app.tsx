import { useEffect, useState } from 'preact/hooks';
import { ApiError, KeyKind, KeyRequiredError, pipelineApi } from './api/pipeline-client';
import type { HealthReport, IngestRun, IngestStarted, Page } from './api/pipeline-types';
import { KeyPrompt } from './keys/key-prompt';
import { FreshnessBadge } from './overview/freshness-badge';
import { CHART_RUNS, RunCharts } from './overview/run-charts';
import { LiveProgress } from './runs/live-progress';
import { RunDetail } from './runs/run-detail';
import { isActive } from './runs/run-format';
import { RunsTable } from './runs/runs-table';
import { usePolling } from './use-polling';

/** Rows per page of the runs table. */
const PAGE_SIZE = 20;
/** While a run is going on, its progress is read this often... */
const ACTIVE_POLL_MS = 1500;
/** ...and otherwise the page looks for new runs (a schedule's, another client's) this often. */
const IDLE_POLL_MS = 10_000;

interface KeyRequest {
  kind: KeyKind;
  reason: string;
  /** What to do again once the key is given. */
  retry?: () => void;
}

function routeOf(hash: string): number | null {
  const match = /^#\/runs\/(\d+)$/.exec(hash);
  return match ? Number(match[1]) : null;
}

function useRoute(): number | null {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  useEffect(() => {
    const changed = () => setRoute(routeOf(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function App() {
  const detailRunId = useRoute();
  const [keyRequest, setKeyRequest] = useState<KeyRequest | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [health, setHealth] = useState<HealthReport | null>(null);
  const [recent, setRecent] = useState<Page<IngestRun> | null>(null);
  const [tablePage, setTablePage] = useState(1);
  const [table, setTable] = useState<Page<IngestRun> | null>(null);
  const [activeRun, setActiveRun] = useState<IngestRun | null>(null);
  const [startedRunId, setStartedRunId] = useState<number | null>(null);
  const [answer, setAnswer] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);

  /** A key the pipeline asked for pauses the page until it is given; anything else is shown as it is. */
  const report = (error: unknown, retry?: () => void) => {
    if (error instanceof KeyRequiredError) setKeyRequest({ kind: error.kind, reason: error.message, retry });
    else setProblem(error instanceof Error ? `The pipeline did not answer: ${error.message}` : String(error));
  };

  const polling = activeRun !== null || startedRunId !== null;
  usePolling(
    async () => {
      if (keyRequest) return;
      try {
        setHealth(await pipelineApi.read<HealthReport>('/api/health'));
        setProblem(null);
        // A run's detail reads that run itself; the lists are read again on the way back.
        if (detailRunId !== null) return;
        const newest = await pipelineApi.read<Page<IngestRun>>(`/api/ingest/runs?page=1&limit=${CHART_RUNS}`);
        setRecent(newest);
        setTable(
          tablePage === 1
            ? { ...newest, data: newest.data.slice(0, PAGE_SIZE), limit: PAGE_SIZE }
            : await pipelineApi.read<Page<IngestRun>>(
                `/api/ingest/runs?page=${tablePage}&limit=${PAGE_SIZE}`,
              ),
        );
        // At most one run is queued or running at a time; it is the newest, or the one just started.
        const activeId = newest.data.find(isActive)?.id ?? startedRunId;
        const active =
          activeId === null ? null : await pipelineApi.read<IngestRun>(`/api/ingest/runs/${activeId}`);
        setActiveRun(active && isActive(active) ? active : null);
        if (active && !isActive(active)) setStartedRunId(null);
      } catch (error) {
        report(error);
      }
    },
    keyRequest ? null : polling && detailRunId === null ? ACTIVE_POLL_MS : IDLE_POLL_MS,
    [tablePage, version, keyRequest, polling, detailRunId],
  );

  const startIngest = async () => {
    setAnswer(null);
    try {
      const started = await pipelineApi.write<IngestStarted>('/api/ingest?wait=false');
      setAnswer(`Run ${started.run_id} ${started.resumed ? 'resumed' : 'started'}.`);
      setStartedRunId(started.run_id);
    } catch (error) {
      if (error instanceof KeyRequiredError) report(error, startIngest);
      else if (error instanceof ApiError)
        setAnswer(`Not started: ${error.message}${error.body.run_id ? ` (run ${error.body.run_id})` : ''}.`);
      else report(error);
    }
  };

  return (
    <>
      <header class="top">
        <h1>Customer pipeline</h1>
        <FreshnessBadge freshness={health?.freshness} />
        <div class="actions">
          <button type="button" class="primary" onClick={startIngest} disabled={activeRun !== null}>
            Start ingest
          </button>
        </div>
      </header>
      <main>
        {answer && (
          <p role="status" class="answer" data-testid="action-answer">
            {answer}
          </p>
        )}
        {problem && (
          <p role="alert" class="error-text">
            {problem}
          </p>
        )}
        {keyRequest && (
          <KeyPrompt
            kind={keyRequest.kind}
            reason={keyRequest.reason}
            onCancel={() => setKeyRequest(null)}
            onSaved={() => {
              const retry = keyRequest.retry;
              setKeyRequest(null);
              reload();
              retry?.();
            }}
          />
        )}
        {detailRunId !== null ? (
          <RunDetail runId={detailRunId} onError={report} onChanged={reload} />
        ) : (
          <>
            {activeRun && <LiveProgress run={activeRun} />}
            <RunCharts runs={recent?.data ?? []} />
            <RunsTable runs={table} onPage={setTablePage} />
          </>
        )}
      </main>
    </>
  );
}
