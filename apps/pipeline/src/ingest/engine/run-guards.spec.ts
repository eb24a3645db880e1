import type { RunSchema } from '@customer-pipeline/data-access';
import { GuardSettings, RunFacts, guardFindings } from './run-guards';

const settings: GuardSettings = {
  schemaDrift: 'warn',
  maxVolumeChange: 0.3,
  volumeMinRecords: 100,
  maxInvalidShare: 0.2,
  maxDeleteShare: 0.1,
};

const usual: RunSchema = {
  customer_id: { string: { count: 1000, example: 'C1' } },
  email: { string: { count: 1000, example: 'C1' } },
  phone: { string: { count: 900, example: 'C1' }, null: { count: 100, example: 'C7' } },
};

const facts = (overrides: Partial<RunFacts> = {}): RunFacts => ({
  mode: 'full',
  records: 1000,
  failed: 0,
  deleting: 0,
  storedBefore: 1000,
  schema: usual,
  previousSchema: usual,
  previousFullRecords: 1000,
  ...overrides,
});

const guards = (overrides: Partial<RunFacts>, tuned: Partial<GuardSettings> = {}) =>
  guardFindings(facts(overrides), { ...settings, ...tuned }).map(({ guard, action }) => `${guard}:${action}`);

describe('guardFindings', () => {
  it('finds nothing in a run like the last one', () => {
    expect(guards({})).toEqual([]);
  });

  it('holds a run that would delete more than INGEST_MAX_DELETE_SHARE of the stored customers, not one at it', () => {
    expect(guards({ deleting: 100 })).toEqual([]);
    expect(guards({ deleting: 101 })).toEqual(['delete_share:hold']);
  });

  it('holds a full run that read nothing and would delete, whatever INGEST_MAX_DELETE_SHARE says', () => {
    expect(
      guards({ records: 0, deleting: 1000, schema: {} }, { maxDeleteShare: 1, maxVolumeChange: 10 }),
    ).toEqual(['empty_source:hold']);
  });

  it('holds a full run whose volume moved more than INGEST_MAX_VOLUME_CHANGE, either way, not one at it', () => {
    expect(guards({ records: 700 })).toEqual([]);
    expect(guards({ records: 699 })).toEqual(['volume:hold']);
    expect(guards({ records: 1301 })).toEqual(['volume:hold']);
    const [finding] = guardFindings(facts({ records: 600 }), settings);
    expect(finding.message).toBe(
      'the run read 600 records where the last successful full run read 1000 (-40%, more than INGEST_MAX_VOLUME_CHANGE 30%)',
    );
  });

  it('leaves the volume alone below INGEST_VOLUME_MIN_RECORDS, without an earlier full run, and for incremental runs', () => {
    expect(guards({ records: 10, previousFullRecords: 99 })).toEqual([]);
    expect(guards({ records: 10, previousFullRecords: null })).toEqual([]);
    expect(guards({ records: 10, mode: 'incremental' })).toEqual([]);
  });

  it('holds a run whose quarantined share is over INGEST_MAX_INVALID_SHARE, not one at it', () => {
    expect(guards({ failed: 200 })).toEqual([]);
    expect(guards({ failed: 201 })).toEqual(['invalid_share:hold']);
  });

  it('reports schema drift against the last successful run, holding it only with INGEST_SCHEMA_DRIFT=review', () => {
    const drifted: RunSchema = {
      customer_id: usual.customer_id,
      email: usual.email,
      loyalty_tier: { string: { count: 1000, example: 'C3' } },
      account_balance: { string: { count: 5, example: 'C9' } },
    };
    const previous: RunSchema = { ...usual, account_balance: { number: { count: 1000, example: 'C1' } } };
    const found = guardFindings(facts({ schema: drifted, previousSchema: previous }), settings);
    expect(found.map(({ message, details }) => [message, details])).toEqual([
      [
        'the source sends a field the contract does not know: loyalty_tier',
        { field: 'loyalty_tier', count: 1000, example: 'C3' },
      ],
      ['the source stopped sending phone', { field: 'phone', previous_count: 1000, example: 'C1' }],
      [
        'account_balance came as string, which it never did before',
        { field: 'account_balance', type: 'string', count: 5, example: 'C9', previous_types: ['number'] },
      ],
    ]);
    expect(new Set(found.map((finding) => finding.action))).toEqual(new Set(['warn']));
    const reviewed = guardFindings(facts({ schema: drifted, previousSchema: previous }), {
      ...settings,
      schemaDrift: 'review',
    });
    expect(new Set(reviewed.map((finding) => finding.action))).toEqual(new Set(['hold']));
  });

  it('only warns of unknown fields on a first run, which has nothing to drift from', () => {
    const first = { ...usual, extra: { number: { count: 3, example: 'C2' } } };
    expect(guards({ schema: first, previousSchema: null }, { schemaDrift: 'review' })).toEqual([
      'schema_drift:warn',
    ]);
  });

  it('does not repeat an unknown field the last successful run already had', () => {
    const both = { ...usual, extra: { number: { count: 3, example: 'C2' } } };
    expect(guards({ schema: both, previousSchema: both })).toEqual([]);
  });
});
