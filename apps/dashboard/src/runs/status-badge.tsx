/** A run's status as a word in a coloured pill; the word carries the meaning, the colour only helps. */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status.replace(/[^a-z_]/g, '')}`}>{status.replace('_', ' ')}</span>;
}
