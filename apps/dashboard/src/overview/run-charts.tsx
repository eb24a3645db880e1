import type { IngestRun } from '../api/pipeline-types';
import { formatCount, formatDuration } from '../runs/run-format';

const WIDTH = 600;
const HEIGHT = 150;
const TOP = 8;

const OUTCOMES = [
  { key: 'records_inserted', label: 'inserted', color: '#1b7f3b' },
  { key: 'records_updated', label: 'updated', color: '#1f5fbf' },
  { key: 'records_unchanged', label: 'unchanged', color: '#8a8f98' },
  { key: 'records_failed', label: 'failed', color: '#b42318' },
] as const;

interface Bar {
  run: IngestRun;
  x: number;
  width: number;
}

/** Runs the charts have room for; fewer runs stand on the right, where the newest is. */
export const CHART_RUNS = 30;

function barsOf(runs: IngestRun[]): Bar[] {
  const slot = WIDTH / CHART_RUNS;
  const first = CHART_RUNS - runs.length;
  return runs.map((run, index) => ({ run, x: (first + index) * slot + slot * 0.15, width: slot * 0.7 }));
}

function Axis({ max, format }: { max: number; format: (value: number) => string }) {
  return (
    <>
      <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} class="axis" />
      <text x="2" y={TOP + 10} class="axis-label">
        {format(max)}
      </text>
    </>
  );
}

/** Records by outcome per run, oldest on the left: a stacked bar each. */
function RecordsChart({ runs }: { runs: IngestRun[] }) {
  const max = Math.max(1, ...runs.map((run) => OUTCOMES.reduce((sum, o) => sum + run[o.key], 0)));
  const scale = (HEIGHT - TOP) / max;
  return (
    <figure class="chart">
      <figcaption>
        Records by outcome, last {runs.length} runs
        <span class="legend">
          {OUTCOMES.map((o) => (
            <span key={o.key}>
              <i style={{ background: o.color }} aria-hidden="true" /> {o.label}
            </span>
          ))}
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 2}`}
        role="img"
        aria-label={`Records by outcome of the last ${runs.length} runs; the largest run has ${formatCount(max)} records`}
        data-testid="records-chart"
      >
        {barsOf(runs).map(({ run, x, width }) => {
          let y = HEIGHT;
          return (
            <g key={run.id}>
              <title>
                {`Run ${run.id}: ${OUTCOMES.map((o) => `${formatCount(run[o.key])} ${o.label}`).join(', ')}`}
              </title>
              {OUTCOMES.map((o) => {
                const height = run[o.key] * scale;
                y -= height;
                return <rect key={o.key} x={x} y={y} width={width} height={height} fill={o.color} />;
              })}
            </g>
          );
        })}
        <Axis max={max} format={formatCount} />
      </svg>
    </figure>
  );
}

/** Wall time per run, a failed run's bar in red. */
function DurationChart({ runs }: { runs: IngestRun[] }) {
  const max = Math.max(1, ...runs.map((run) => run.duration_ms));
  const scale = (HEIGHT - TOP) / max;
  return (
    <figure class="chart">
      <figcaption>Duration, last {runs.length} runs</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 2}`}
        role="img"
        aria-label={`Duration of the last ${runs.length} runs; the longest took ${formatDuration(max)}`}
        data-testid="duration-chart"
      >
        {barsOf(runs).map(({ run, x, width }) => (
          <rect
            key={run.id}
            x={x}
            y={HEIGHT - run.duration_ms * scale}
            width={width}
            height={run.duration_ms * scale}
            fill={run.status === 'failed' ? '#b42318' : '#4a5b78'}
          >
            <title>{`Run ${run.id}: ${formatDuration(run.duration_ms)}, ${run.status}`}</title>
          </rect>
        ))}
        <Axis max={max} format={formatDuration} />
      </svg>
    </figure>
  );
}

/** The trends of the last runs (newest first as the API lists them; drawn oldest first). */
export function RunCharts({ runs }: { runs: IngestRun[] }) {
  if (runs.length === 0) return null;
  const oldestFirst = [...runs].reverse();
  return (
    <section class="charts" aria-label="Trends">
      <RecordsChart runs={oldestFirst} />
      <DurationChart runs={oldestFirst} />
    </section>
  );
}
