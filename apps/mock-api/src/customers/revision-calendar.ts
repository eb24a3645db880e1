const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The `updated_at` of every generated customer no revision has touched. It follows the latest `created_at`
 * the generator draws (2024-12-31), so a customer is never updated before it was created.
 */
export const FIRST_REVISION_AT = Date.UTC(2025, 0, 1);

/**
 * How many instants a revision's changes fall on, an hour apart: thousands of customers of a large dataset
 * share each one, so that a client meets ties on `updated_at` as a matter of course.
 */
export const INSTANTS_PER_REVISION = 4;

/**
 * Revision k happens on day k after 2025-01-01, so the last one allowed ends on 2026-01-01: every
 * `updated_at` is in the past of any client, whose checkpoint may refuse to move beyond its own clock.
 */
export const MAX_REVISION = 365;

/**
 * Numbers the instants in time order: instant `slot` of revision `revision` is `revision *
 * INSTANTS_PER_REVISION + slot`; revision 0 has only instant 0, `FIRST_REVISION_AT`.
 */
export function instantKey(revision: number, slot: number): number {
  return revision * INSTANTS_PER_REVISION + slot;
}

/** The time of an instant key: day `revision` after 2025-01-01, at `slot` o'clock UTC. */
export function instantOfKey(key: number): number {
  const revision = Math.floor(key / INSTANTS_PER_REVISION);
  return FIRST_REVISION_AT + revision * DAY_MS + (key % INSTANTS_PER_REVISION) * HOUR_MS;
}
