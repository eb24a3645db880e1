import { CustomerRecord, checkCustomerRecord } from '@customer-pipeline/contracts';
import type { NewIngestFailure } from '@customer-pipeline/data-access';

export interface ValidatedPage {
  records: CustomerRecord[];
  failures: NewIngestFailure[];
}

function customerIdOf(raw: unknown): string | null {
  const id = (raw as { customer_id?: unknown } | null)?.customer_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

/** Splits one source page into valid customers and quarantined records with their field errors. */
export function validatePage(runId: number, page: number, rawRecords: unknown[]): ValidatedPage {
  const validated: ValidatedPage = { records: [], failures: [] };
  for (const raw of rawRecords) {
    const check = checkCustomerRecord(raw);
    if (check.valid) {
      validated.records.push(check.customer);
      continue;
    }
    validated.failures.push({
      run_id: runId,
      page,
      customer_id: customerIdOf(raw),
      record: raw ?? null,
      errors: check.errors,
      reason: 'validation',
    });
  }
  return validated;
}
