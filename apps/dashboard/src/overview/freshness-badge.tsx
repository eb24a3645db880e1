import type { Freshness } from '../api/pipeline-types';
import { formatDuration, formatTime } from '../runs/run-format';

const LABELS: Record<Freshness['state'], string> = {
  fresh: 'Fresh',
  late: 'Late',
  stale: 'Stale',
  unscheduled: 'Unscheduled',
};

function explanation(freshness: Freshness): string {
  const last = freshness.last_success_at
    ? `last success ${formatTime(freshness.last_success_at)}`
    : 'no success yet';
  if (freshness.interval_seconds === null) return `${last}; no INGEST_CRON schedule`;
  return `${last}; schedule every ${formatDuration(freshness.interval_seconds * 1000)}`;
}

/** How new the data is against the schedule, from `/api/health` (open, so it shows without a key). */
export function FreshnessBadge({ freshness }: { freshness: Freshness | null | undefined }) {
  if (!freshness) {
    return (
      <p class="freshness freshness-unknown" data-testid="freshness">
        <span class="badge">Freshness unknown</span>
      </p>
    );
  }
  return (
    <p class={`freshness freshness-${freshness.state}`} data-testid="freshness">
      <span class="badge">{LABELS[freshness.state]}</span> <span class="muted">{explanation(freshness)}</span>
    </p>
  );
}
