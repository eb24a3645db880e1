import { INSTANTS_PER_REVISION, instantKey, instantOfKey } from './revision-calendar';
import { mix32 } from './sfc32.randomizer';

/** Third seed word of the draws that decide each customer's fate in each revision, apart from other streams. */
const HISTORY_STREAM = 0x6869_7331;
const TWO_POW_32 = 0x1_0000_0000;
/** The instant key of a deleted customer: no instant has it (the largest is 365 * 4 + 3). */
const DELETED = 0xffff;

/** Which revision of the generated dataset to serve, and what each revision does to it. */
export interface DatasetRevision {
  /** The revision served; 0 is the dataset as first generated. */
  revision: number;
  /** Share, 0 to 1, of the customers a revision does not delete that it changes. */
  changeRate: number;
  /** Share, 0 to 1, of the customers present before a revision that it deletes. */
  deleteRate: number;
  /** Share, 0 to 1, of the customers deleted before a revision that it restores. */
  restoreRate: number;
  /** Customers each revision adds, as a share of the dataset's first size (rounded to a whole number). */
  addRate: number;
}

export const FIRST_REVISION: DatasetRevision = {
  revision: 0,
  changeRate: 0,
  deleteRate: 0,
  restoreRate: 0,
  addRate: 0,
};

/** The per-customer outcome of every revision up to the one served. */
interface CustomerFates {
  /** Instant key of each index's `updated_at`, or DELETED. */
  updatedKeys: Uint16Array;
  /** The revision that last changed each index; 0 for none. */
  lastChanges: Uint16Array;
  /** How many revisions changed each index. */
  changeCounts: Uint16Array;
  /** The present indexes in id order; null when every index is present (position p holds index p + 1). */
  byId: Int32Array | null;
  /** The present indexes in (updated_at, id) order. */
  byUpdatedAt: Int32Array;
  /** For each instant key, the position in `byUpdatedAt` of its first customer; one more entry: the total. */
  keyStarts: Int32Array;
}

/**
 * Which generated customers exist at the revision served, what the revisions did to each, and the two orders
 * the listings page through.
 *
 * The fate of customer `index` in revision `k` is one 32-bit draw from `[seed, index, k]` alone, read as a
 * fraction u of 2^32. A customer present before `k` is deleted if u < deleteRate, and otherwise changed if
 * u < deleteRate + changeRate * (1 - deleteRate) (so a share changeRate of those it keeps); a customer deleted
 * before `k` is restored if u < restoreRate. Revision `k` also adds round(addRate * customers) customers after
 * the last id of revision k - 1; an added customer's fate is drawn from the revisions after `k`. A customer
 * changed, restored or added in revision `k` gets one of its instants (`revision-calendar`), picked from the
 * same draw. So each revision is the one before it plus its own draws, and a customer's fate never depends on
 * the dataset's size, only on its index.
 *
 * Serving a page must not walk the dataset, so the history is worked out once, at start-up: one draw per
 * customer and revision (about 20 ns), and 6 bytes per customer plus 4 for each order (14 MB a million).
 * Revision 0, or revisions that can do nothing, need none of it: every position is then index position + 1.
 */
export class DatasetHistory {
  /** How many customers are present at the revision served. */
  readonly total: number;
  /** The largest id index any revision up to the one served has created. */
  readonly lastIndex: number;
  private readonly addedPerRevision: number;
  /** `toISOString()` of every instant key up to the revision served. */
  private readonly instantTexts: readonly string[];
  private readonly instants: readonly number[];
  /** Null while no revision touches a customer: all are present, unchanged, at instant 0. */
  private readonly fates: CustomerFates | null;

  constructor(
    private readonly seed: number,
    /** The dataset's first size, MOCK_CUSTOMERS. */
    private readonly customers: number,
    { revision, changeRate, deleteRate, restoreRate, addRate }: DatasetRevision,
  ) {
    this.addedPerRevision = Math.round(addRate * customers);
    this.lastIndex = customers + revision * this.addedPerRevision;
    this.instants = Array.from({ length: instantKey(revision + 1, 0) }, (_, key) => instantOfKey(key));
    this.instantTexts = this.instants.map((instant) => new Date(instant).toISOString());
    const eventful = revision > 0 && (changeRate > 0 || deleteRate > 0 || this.addedPerRevision > 0);
    this.fates = eventful
      ? this.drawFates(revision, {
          deleteBelow: deleteRate * TWO_POW_32,
          changeBelow: (deleteRate + changeRate * (1 - deleteRate)) * TWO_POW_32,
          restoreBelow: restoreRate * TWO_POW_32,
        })
      : null;
    this.total = this.fates ? this.fates.byUpdatedAt.length : customers;
  }

  /** Whether customer `index` exists at the revision served: created by then, and not deleted. */
  isPresent(index: number): boolean {
    if (!Number.isInteger(index) || index < 1 || index > this.lastIndex) return false;
    return this.fates === null || this.fates.updatedKeys[index] !== DELETED;
  }

  /** The index of the present customer at 0-based `position` (below `total`) in id order. */
  indexAt(position: number): number {
    return this.fates?.byId?.[position] ?? position + 1;
  }

  /** The index of the present customer at 0-based `position` (below `total`) in (updated_at, id) order. */
  indexByUpdatedAt(position: number): number {
    return this.fates ? this.fates.byUpdatedAt[position] : position + 1;
  }

  /** The position in (updated_at, id) order of the first customer whose `updated_at` is `since` (ms) or later. */
  firstUpdatedSince(since: number): number {
    const key = this.instants.findIndex((instant) => instant >= since);
    if (key === -1) return this.total;
    return this.fates ? this.fates.keyStarts[key] : key === 0 ? 0 : this.total;
  }

  /** `updated_at` of a present customer, as `toISOString()` prints it. */
  updatedAtOf(index: number): string {
    return this.instantTexts[this.fates ? this.fates.updatedKeys[index] : 0];
  }

  /** The revision that last changed the customer's balance and address; 0 for none. */
  lastChangeOf(index: number): number {
    return this.fates ? this.fates.lastChanges[index] : 0;
  }

  /** How many revisions have changed the customer's balance and address. */
  changeCountOf(index: number): number {
    return this.fates ? this.fates.changeCounts[index] : 0;
  }

  /** The revision that created customer `index`: 0 for the first `customers`, else the one that added it. */
  private revisionThatAdded(index: number): number {
    return index <= this.customers ? 0 : Math.ceil((index - this.customers) / this.addedPerRevision);
  }

  private drawFates(
    revision: number,
    {
      deleteBelow,
      changeBelow,
      restoreBelow,
    }: Record<'deleteBelow' | 'changeBelow' | 'restoreBelow', number>,
  ): CustomerFates {
    const size = this.lastIndex + 1;
    const updatedKeys = new Uint16Array(size);
    const lastChanges = new Uint16Array(size);
    const changeCounts = new Uint16Array(size);
    const keyCounts = new Int32Array(this.instants.length);
    const stream = mix32(this.seed ^ HISTORY_STREAM);
    let present = 0;
    for (let index = 1; index <= this.lastIndex; index++) {
      // Seeds [seed, index, k] through a chain of bijections: distinct indexes never share a draw in one revision.
      const customerStream = mix32(stream ^ index);
      const added = this.revisionThatAdded(index);
      let key = added === 0 ? 0 : instantKey(added, slotOf(mix32(customerStream ^ added)));
      for (let k = added + 1; k <= revision; k++) {
        const draw = mix32(customerStream ^ k);
        if (key === DELETED) {
          if (draw < restoreBelow) key = instantKey(k, slotOf(draw));
        } else if (draw < deleteBelow) {
          key = DELETED;
        } else if (draw < changeBelow) {
          key = instantKey(k, slotOf(draw));
          lastChanges[index] = k;
          changeCounts[index]++;
        }
      }
      updatedKeys[index] = key;
      if (key !== DELETED) {
        keyCounts[key]++;
        present++;
      }
    }
    // A counting sort by instant key; filled in index order, each key's customers stay in id order.
    const keyStarts = new Int32Array(keyCounts.length + 1);
    for (let key = 0; key < keyCounts.length; key++) keyStarts[key + 1] = keyStarts[key] + keyCounts[key];
    const next = keyStarts.slice(0, keyCounts.length);
    const byUpdatedAt = new Int32Array(present);
    const byId = present < this.lastIndex ? new Int32Array(present) : null;
    let position = 0;
    for (let index = 1; index <= this.lastIndex; index++) {
      const key = updatedKeys[index];
      if (key === DELETED) continue;
      byUpdatedAt[next[key]++] = index;
      if (byId) byId[position++] = index;
    }
    return { updatedKeys, lastChanges, changeCounts, byId, byUpdatedAt, keyStarts };
  }
}

/** Which of its revision's instants a change, restore or addition falls on. */
function slotOf(draw: number): number {
  return mix32(draw) % INSTANTS_PER_REVISION;
}
