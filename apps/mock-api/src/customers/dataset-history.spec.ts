import { DatasetHistory, DatasetRevision, FIRST_REVISION } from './dataset-history';
import { FIRST_REVISION_AT, INSTANTS_PER_REVISION, MAX_REVISION } from './revision-calendar';

const FIRST_UPDATED_AT = '2025-01-01T00:00:00.000Z';
const RATES = { changeRate: 0.2, deleteRate: 0.1, restoreRate: 0.3, addRate: 0.05 };

type Fate = { updatedAt: string; lastChange: number; changes: number } | 'deleted';

function history(revision: number, rates: Partial<DatasetRevision> = RATES, customers = 2000, seed = 42) {
  return new DatasetHistory(seed, customers, { ...FIRST_REVISION, ...rates, revision });
}

/** What the history says of every index up to its last, 1-based: index i is at position i - 1. */
function fates(of: DatasetHistory): Fate[] {
  return Array.from({ length: of.lastIndex }, (_, position) => {
    const index = position + 1;
    if (!of.isPresent(index)) return 'deleted';
    return {
      updatedAt: of.updatedAtOf(index),
      lastChange: of.lastChangeOf(index),
      changes: of.changeCountOf(index),
    };
  });
}

const presentIndexes = (of: DatasetHistory) =>
  Array.from({ length: of.lastIndex }, (_, position) => position + 1).filter((index) => of.isPresent(index));

/** The instants of revision `revision`, as `toISOString()` prints them. */
const instantsOf = (revision: number) =>
  Array.from({ length: INSTANTS_PER_REVISION }, (_, slot) =>
    new Date(Date.UTC(2025, 0, 1 + revision, slot)).toISOString(),
  );

describe('DatasetHistory', () => {
  describe('at revision 0, or with revisions that do nothing', () => {
    it.each([
      ['revision 0', history(0)],
      ['rates of 0', history(3, { changeRate: 0, deleteRate: 0, restoreRate: 0.5, addRate: 0 })],
      ['fewer than half a customer added', history(3, { changeRate: 0, addRate: 0.0002 })],
    ])('holds every customer unchanged at the first instant, for %s', (_label, plain) => {
      expect([plain.total, plain.lastIndex]).toEqual([2000, 2000]);
      expect(new Set(fates(plain).map((fate) => JSON.stringify(fate)))).toEqual(
        new Set([JSON.stringify({ updatedAt: FIRST_UPDATED_AT, lastChange: 0, changes: 0 })]),
      );
      expect([plain.indexAt(0), plain.indexAt(1999), plain.indexByUpdatedAt(1999)]).toEqual([1, 2000, 2000]);
      expect(plain.firstUpdatedSince(FIRST_REVISION_AT)).toBe(0);
      expect(plain.firstUpdatedSince(FIRST_REVISION_AT + 1)).toBe(2000);
    });

    it('knows no index outside 1 to the last', () => {
      for (const index of [0, -1, 2001, 1.5, Number.NaN]) expect(history(0).isPresent(index)).toBe(false);
    });
  });

  describe('each revision is the one before plus its own draws', () => {
    const revisions = Array.from({ length: 7 }, (_, revision) => fates(history(revision)));
    const valuesOf = (fate: Fate) =>
      fate === 'deleted' ? fate : { lastChange: fate.lastChange, changes: fate.changes };
    /** The customer at `position` as the last revision before `revision` that held it had it. */
    const lastPresent = (position: number, revision: number) =>
      revisions
        .slice(0, revision)
        .map((fates) => fates[position])
        .findLast((fate) => fate !== undefined && fate !== 'deleted');

    /** How customer `position` of `revision` departs from the rules, or null when it keeps them. */
    function brokenRule(revision: number, position: number): string | null {
      const [previous, fate] = [revisions[revision - 1][position], revisions[revision][position]];
      const now = fate !== 'deleted' && instantsOf(revision).includes(fate.updatedAt);
      if (previous === undefined) {
        // Added by this revision, right after the last id of the one before.
        return now && fate.changes === 0 ? null : 'added';
      }
      if (fate === 'deleted') return null;
      if (previous === 'deleted') {
        const asDeleted = JSON.stringify(valuesOf(lastPresent(position, revision) as Fate));
        return now && JSON.stringify(valuesOf(fate)) === asDeleted ? null : 'restored';
      }
      if (fate.lastChange === revision)
        return now && fate.changes === previous.changes + 1 ? null : 'changed';
      return JSON.stringify(fate) === JSON.stringify(previous) ? null : 'kept';
    }

    it.each([1, 2, 3, 4, 5, 6])('revision %i', (revision) => {
      const broken = revisions[revision].flatMap((_, position) => {
        const rule = brokenRule(revision, position);
        return rule === null ? [] : [{ index: position + 1, rule }];
      });
      expect(broken).toEqual([]);
    });

    it('adds round(addRate * customers) customers per revision', () => {
      expect(revisions.map((fates) => fates.length)).toEqual([2000, 2100, 2200, 2300, 2400, 2500, 2600]);
    });

    it('deletes, changes and restores about the shares asked for', () => {
      const [before, after] = [revisions[3], revisions[4]];
      const presentBefore = before.filter((fate) => fate !== 'deleted').length;
      const deletedBefore = before.length - presentBefore;
      const went = before.filter(
        (fate, position) => fate !== 'deleted' && after[position] === 'deleted',
      ).length;
      const came = before.filter(
        (fate, position) => fate === 'deleted' && after[position] !== 'deleted',
      ).length;
      const changed = after.filter((fate) => fate !== 'deleted' && fate.lastChange === 4).length;
      expect(went / presentBefore).toBeCloseTo(0.1, 1);
      expect(changed / (presentBefore - went)).toBeCloseTo(0.2, 1);
      expect(came / deletedBefore).toBeCloseTo(0.3, 1);
    });
  });

  it('keeps a deleted customer deleted without a restore rate', () => {
    const deleted = [1, 2, 3, 4, 5].map((revision) => {
      const revised = history(revision, { deleteRate: 0.1 });
      return Array.from({ length: 2000 }, (_, position) => position + 1).filter(
        (index) => !revised.isPresent(index),
      );
    });
    for (let revision = 1; revision < deleted.length; revision++) {
      const still = new Set(deleted[revision]);
      expect(deleted[revision - 1].filter((index) => !still.has(index))).toEqual([]);
      expect(deleted[revision].length).toBeGreaterThan(deleted[revision - 1].length);
    }
  });

  it('deletes everyone at delete rate 1, and changes every kept customer at change rate 1', () => {
    expect(history(1, { deleteRate: 1 }).total).toBe(0);
    expect(history(1, { deleteRate: 1, addRate: 0.01 }).total).toBe(20);
    expect(
      fates(history(2, { changeRate: 1 })).every((fate) => fate !== 'deleted' && fate.changes === 2),
    ).toBe(true);
  });

  it('lists the present customers in id order and in (updated_at, id) order, many on one updated_at', () => {
    const revised = history(5);
    const present = presentIndexes(revised);
    expect(revised.total).toBe(present.length);
    expect(Array.from({ length: revised.total }, (_, position) => revised.indexAt(position))).toEqual(
      present,
    );
    const byUpdatedAt = [...present].sort(
      (left, right) => revised.updatedAtOf(left).localeCompare(revised.updatedAtOf(right)) || left - right,
    );
    expect(
      Array.from({ length: revised.total }, (_, position) => revised.indexByUpdatedAt(position)),
    ).toEqual(byUpdatedAt);
    const sharing = new Map<string, number>();
    for (const index of present)
      sharing.set(revised.updatedAtOf(index), (sharing.get(revised.updatedAtOf(index)) ?? 0) + 1);
    // 5 revisions of 4 instants each, and the first instant.
    expect(sharing.size).toBe(21);
    expect(Math.min(...sharing.values())).toBeGreaterThan(10);
  });

  it('finds the first customer updated at or after any time, ties included', () => {
    const revised = history(3);
    const updatedAt = presentIndexes(revised).map((index) => Date.parse(revised.updatedAtOf(index)));
    const instants = [...new Set(updatedAt)];
    for (const since of [
      0,
      ...instants.flatMap((instant) => [instant - 1, instant, instant + 1]),
      Date.UTC(2030, 0),
    ]) {
      expect([since, revised.firstUpdatedSince(since)]).toEqual([
        since,
        updatedAt.filter((instant) => instant < since).length,
      ]);
    }
  });

  it('draws the same fates for the same seed, other fates for another seed', () => {
    expect(fates(history(4))).toEqual(fates(history(4)));
    expect(fates(history(4, RATES, 2000, 43))).not.toEqual(fates(history(4)));
  });

  it('draws a customer the same fate whatever the size of the dataset, without additions', () => {
    const rates = { ...RATES, addRate: 0 };
    expect(fates(history(4, rates, 5000)).slice(0, 2000)).toEqual(fates(history(4, rates, 2000)));
  });

  it('draws the same fates on every machine and run', () => {
    // A change to the draws shows up here.
    const pinned = fates(history(2))
      .slice(0, 12)
      .map((fate) => (fate === 'deleted' ? fate : `${fate.updatedAt} ${fate.lastChange}/${fate.changes}`));
    expect(pinned).toEqual([
      'deleted',
      '2025-01-01T00:00:00.000Z 0/0',
      '2025-01-02T01:00:00.000Z 1/1',
      '2025-01-02T00:00:00.000Z 1/1',
      '2025-01-01T00:00:00.000Z 0/0',
      // Deleted by revision 1, restored by revision 2.
      '2025-01-03T00:00:00.000Z 0/0',
      'deleted',
      '2025-01-01T00:00:00.000Z 0/0',
      '2025-01-01T00:00:00.000Z 0/0',
      '2025-01-01T00:00:00.000Z 0/0',
      '2025-01-02T02:00:00.000Z 1/1',
      '2025-01-01T00:00:00.000Z 0/0',
    ]);
  });

  it('ends its last revision in the past of any client', () => {
    const last = history(MAX_REVISION, { changeRate: 1 }, 10);
    expect(
      Math.max(...presentIndexes(last).map((index) => Date.parse(last.updatedAtOf(index)))),
    ).toBeLessThan(Date.UTC(2026, 0, 2));
  });
});
