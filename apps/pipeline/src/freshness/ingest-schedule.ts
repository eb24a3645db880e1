import { parseExpression } from 'cron-parser';

/**
 * The length of the schedule's interval that contains `now`: from the last tick at or before `now` to the
 * next one after it. Taken around now because a cron's intervals differ (`0 9 * * 1-5` waits three days over
 * a weekend), and it is the current one that says when the next success is due.
 */
export function intervalAround(cron: string, now: Date): number {
  const next = parseExpression(cron, { tz: 'UTC', currentDate: now }).next().getTime();
  // From the next tick backwards, not from now: at an instant that is itself a tick, cron-parser's prev()
  // would skip that tick and give an interval twice as long.
  const previous = parseExpression(cron, { tz: 'UTC', currentDate: new Date(next) })
    .prev()
    .getTime();
  return next - previous;
}
