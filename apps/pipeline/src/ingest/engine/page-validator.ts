import { CustomerRecord, checkCustomerRecord, hasUtcOffset } from '@customer-pipeline/contracts';
import type { NewIngestFailure, SourceCursor } from '@customer-pipeline/data-access';
import { compareCursors, cursorOf } from './run-state';
import type { RawPage } from '../sources/page-source';

export interface ValidatedPage {
  records: CustomerRecord[];
  failures: NewIngestFailure[];
  /** Valid records whose `created_at` or `updated_at` named no UTC offset, and were read as UTC. */
  withoutOffset: number;
  /**
   * The newest valid record by `(updated_at, customer_id)`: an invalid one must not move the checkpoint (a
   * broken future timestamp would make later runs skip real changes).
   */
  newest: SourceCursor | null;
}

function customerIdOf(raw: unknown): string | null {
  const id = (raw as { customer_id?: unknown } | null)?.customer_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

function lacksOffset(raw: unknown): boolean {
  const { created_at, updated_at } = raw as { created_at?: unknown; updated_at?: unknown };
  return [created_at, updated_at].some((value) => typeof value === 'string' && !hasUtcOffset(value));
}

/** Splits one source page into valid customers and quarantined records with their field errors. */
export function validatePage(runId: number, page: RawPage): ValidatedPage {
  const validated: ValidatedPage = { records: [], failures: [], withoutOffset: 0, newest: null };
  for (const raw of page.records) {
    const check = checkCustomerRecord(raw);
    if (check.valid) {
      validated.records.push(check.customer);
      if (lacksOffset(raw)) validated.withoutOffset++;
      const cursor = cursorOf(raw);
      if (cursor && (!validated.newest || compareCursors(cursor, validated.newest) > 0))
        validated.newest = cursor;
      continue;
    }
    validated.failures.push({
      run_id: runId,
      page: page.page,
      customer_id: customerIdOf(raw),
      record: raw ?? null,
      errors: check.errors,
      reason: 'validation',
    });
  }
  for (const row of page.malformed ?? []) {
    validated.failures.push({
      run_id: runId,
      page: page.page,
      customer_id: null,
      record: { line: row.line, text: row.text },
      errors: [{ field: `(line ${row.line})`, messages: [row.message] }],
      reason: 'malformed',
    });
  }
  return validated;
}
