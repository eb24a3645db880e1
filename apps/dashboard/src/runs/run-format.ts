import type { IngestRun } from '../api/pipeline-types';

/** A run that is still going on: its progress changes, so the page polls it. */
export function isActive(run: Pick<IngestRun, 'status'>): boolean {
  return run.status === 'queued' || run.status === 'running' || run.status === 'interrupted';
}

/** `1 h 02 min`, `3 min 05 s`, `4.2 s`, `850 ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** `2026-11-22 10:00:41 UTC`: runs are scheduled in UTC, so the page speaks UTC. */
export function formatTime(iso: string | null): string {
  if (!iso) return '–';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

const COUNT = new Intl.NumberFormat('en-US');

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : COUNT.format(value);
}

/** The run's mode; a pipeline from before incremental runs has only full ones. */
export function modeOf(run: IngestRun): string {
  return run.mode ?? 'full';
}

/** Why the run did not simply succeed: its error, or for a run held (or rejected) what held it. */
export function reasonOf(run: IngestRun): string {
  if (run.error) return run.error;
  if (run.status !== 'needs_review' && run.status !== 'rejected') return '';
  return (run.findings ?? [])
    .filter((finding) => finding.action === 'hold')
    .map((finding) => finding.message)
    .join('; ');
}
