import { CUSTOMER_FIELDS } from '@customer-pipeline/contracts';
import type { IngestMode, RunFinding, RunSchema } from '@customer-pipeline/data-access';

/** The operator's thresholds (INGEST_* settings). */
export interface GuardSettings {
  schemaDrift: 'warn' | 'review';
  /** Largest share by which a full run's record count may differ from the last successful full run's. */
  maxVolumeChange: number;
  /** The volume guard looks only when the last successful full run had at least this many records. */
  volumeMinRecords: number;
  /** Largest share of a run's records that may be quarantined. */
  maxInvalidShare: number;
  /** Largest share of the stored customers that a full run may mark deleted. */
  maxDeleteShare: number;
}

/** What a run did, as its guards see it before it commits. */
export interface RunFacts {
  mode: IngestMode;
  records: number;
  failed: number;
  /** Stored customers the run would mark deleted, and how many live ones there were before it. */
  deleting: number;
  storedBefore: number;
  schema: RunSchema;
  /** The last successful run's schema, and the last successful full run's record count, if any. */
  previousSchema: RunSchema | null;
  previousFullRecords: number | null;
}

const KNOWN_FIELDS = new Set<string>(CUSTOMER_FIELDS);

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
const percent = (value: number) => `${Math.round(value * 1000) / 10}%`;

function countOf(types: Record<string, { count: number }> | undefined): number {
  return Object.values(types ?? {}).reduce((sum, { count }) => sum + count, 0);
}

function exampleOf(types: Record<string, { example: string }>): string {
  return Object.values(types)[0]?.example ?? '';
}

/**
 * Schema drift against the last successful run: fields the contract does not know that the source began to
 * send, contract fields it stopped sending, and fields that came with a JSON type they did not have before.
 * Without an earlier run only the unknown fields are reported, as a warning.
 */
function schemaFindings(facts: RunFacts, settings: GuardSettings): RunFinding[] {
  const { schema, previousSchema } = facts;
  const findings: RunFinding[] = [];
  const drift = (message: string, details: Record<string, unknown>): RunFinding => ({
    guard: 'schema_drift',
    action: previousSchema && settings.schemaDrift === 'review' ? 'hold' : 'warn',
    message,
    details,
  });
  for (const [field, types] of Object.entries(schema)) {
    if (KNOWN_FIELDS.has(field) || (previousSchema && previousSchema[field])) continue;
    findings.push(
      drift(`the source sends a field the contract does not know: ${field}`, {
        field,
        count: countOf(types),
        example: exampleOf(types),
      }),
    );
  }
  if (!previousSchema) return findings.map((finding) => ({ ...finding, action: 'warn' }));
  for (const [field, types] of Object.entries(previousSchema)) {
    if (!KNOWN_FIELDS.has(field) || schema[field]) continue;
    findings.push(
      drift(`the source stopped sending ${field}`, {
        field,
        previous_count: countOf(types),
        example: exampleOf(types),
      }),
    );
  }
  for (const [field, types] of Object.entries(schema)) {
    const before = previousSchema[field];
    if (!before) continue;
    for (const [type, { count, example }] of Object.entries(types)) {
      if (before[type]) continue;
      findings.push(
        drift(`${field} came as ${type}, which it never did before`, {
          field,
          type,
          count,
          example,
          previous_types: Object.keys(before),
        }),
      );
    }
  }
  return findings;
}

/**
 * The quality guards of a run about to commit. `hold` findings keep it in `needs_review`, applying nothing;
 * `warn` findings are recorded with it. A full run that would delete stored customers because it read
 * nothing at all is held whatever the settings say: an empty listing must never wipe the table.
 */
export function guardFindings(facts: RunFacts, settings: GuardSettings): RunFinding[] {
  // A run that read nothing has no schema to compare: that is the empty_source guard's to judge.
  const findings = facts.records === 0 ? [] : schemaFindings(facts, settings);
  if (facts.mode === 'full' && facts.records === 0 && facts.deleting > 0) {
    findings.push({
      guard: 'empty_source',
      action: 'hold',
      message: `the source listed no customers, which would delete all ${facts.deleting} stored ones`,
      details: { stored: facts.storedBefore, deleting: facts.deleting },
    });
  } else if (share(facts.deleting, facts.storedBefore) > settings.maxDeleteShare) {
    findings.push({
      guard: 'delete_share',
      action: 'hold',
      message: `the run would delete ${facts.deleting} of ${facts.storedBefore} stored customers (${percent(
        share(facts.deleting, facts.storedBefore),
      )}, more than INGEST_MAX_DELETE_SHARE ${percent(settings.maxDeleteShare)})`,
      details: { stored: facts.storedBefore, deleting: facts.deleting },
    });
  }
  const previous = facts.previousFullRecords;
  if (facts.mode === 'full' && previous !== null && previous >= settings.volumeMinRecords) {
    const change = Math.abs(facts.records - previous) / previous;
    if (change > settings.maxVolumeChange)
      findings.push({
        guard: 'volume',
        action: 'hold',
        message: `the run read ${facts.records} records where the last successful full run read ${previous} (${
          facts.records < previous ? '-' : '+'
        }${percent(change)}, more than INGEST_MAX_VOLUME_CHANGE ${percent(settings.maxVolumeChange)})`,
        details: { records: facts.records, previous },
      });
  }
  const invalid = share(facts.failed, facts.records);
  if (invalid > settings.maxInvalidShare)
    findings.push({
      guard: 'invalid_share',
      action: 'hold',
      message: `${facts.failed} of ${facts.records} records were quarantined (${percent(
        invalid,
      )}, more than INGEST_MAX_INVALID_SHARE ${percent(settings.maxInvalidShare)})`,
      details: { failed: facts.failed, records: facts.records },
    });
  return findings;
}
