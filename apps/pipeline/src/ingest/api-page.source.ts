import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { PageSource, ReadOutcome, ReadPlan } from './page-source';
import { SourceClient, SourcePage } from './source-client';
import { runPool } from './worker-pool';

function idsDigest(records: unknown[]): string {
  const ids = records.map((record) => String((record as { customer_id?: unknown } | null)?.customer_id));
  return createHash('sha1').update(ids.join('\n')).digest('hex');
}

function* range(from: number, to: number): Generator<number> {
  for (let page = from; page <= to; page++) yield page;
}

/** One read of the source API: remembers what it saw so that it can spot a source that repeats itself. */
class ApiRead {
  private readonly digests = new Map<number, string>();
  private readonly sizes = new Map<number, number>();
  readonly notes: string[] = [];
  stopped = false;

  constructor(
    private readonly client: SourceClient,
    private readonly plan: ReadPlan,
  ) {
    plan.staged.forEach((size, page) => this.sizes.set(page, size));
  }

  fetch(page: number): Promise<SourcePage> {
    return this.client.fetchPage(page, (error) => this.plan.onRetry(error.message, page));
  }

  /** Fetches and hands on one page, unless a resumed run staged it before. */
  async take(page: number, fetched?: SourcePage): Promise<void> {
    if (this.plan.staged.has(page)) return;
    const records = (fetched ?? (await this.fetch(page))).data;
    this.noteRepeats(page, records);
    if (this.stopped) return;
    this.sizes.set(page, records.length);
    // An empty page only says where the listing ends; there is nothing to stage.
    if (records.length > 0) await this.plan.consume({ page, records });
  }

  private noteRepeats(page: number, records: unknown[]): void {
    if (records.length === 0) return;
    const digest = idsDigest(records);
    this.digests.set(page, digest);
    for (const neighbour of [page - 1, page + 1]) {
      if (this.digests.get(neighbour) !== digest) continue;
      this.stop(
        `source repeated page ${Math.min(page, neighbour)} as page ${Math.max(page, neighbour)}; stopped reading`,
      );
    }
  }

  stop(note: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.notes.push(note);
  }

  isFull(page: number): boolean {
    return (this.sizes.get(page) ?? 0) >= this.client.pageLimit;
  }
}

/**
 * The configured source API. With a `total`, pages are fetched concurrently; without one, in order until
 * a short or empty page. When the last announced page is full the source may hold more than it said, so
 * reading goes on in order until a short page. A repeated page or the page cap ends the read, with a note.
 */
@Injectable()
export class ApiPageSource implements PageSource {
  readonly kind = 'api' as const;
  readonly location = null;

  constructor(private readonly client: SourceClient) {}

  async read(plan: ReadPlan): Promise<ReadOutcome> {
    const read = new ApiRead(this.client, plan);
    const total = await this.announcedTotal(read, plan);
    const announcedPages = total === null ? 1 : Math.max(1, Math.ceil(total / this.client.pageLimit));
    const lastPage = Math.min(announcedPages, plan.maxPages);
    await runPool(
      range(2, lastPage),
      plan.concurrency,
      (page) => read.take(page),
      () => read.stopped,
    );
    if (announcedPages > plan.maxPages) read.stop(`stopped at the page cap (${plan.maxPages} pages)`);
    await this.readOnInOrder(read, plan, lastPage);
    return { sourceTotal: total, notes: read.notes };
  }

  /** The total from page 1, which is read now unless a resumed run already knows both. */
  private async announcedTotal(read: ApiRead, plan: ReadPlan): Promise<number | null> {
    if (plan.staged.has(1) && plan.knownTotal !== null) return plan.knownTotal;
    const first = await read.fetch(1);
    const pages = first.total === null ? null : Math.max(1, Math.ceil(first.total / this.client.pageLimit));
    await plan.onTotal(first.total, pages);
    await read.take(1, first);
    return first.total;
  }

  /** Past the announced end (or with no total at all), one page at a time until a short page. */
  private async readOnInOrder(read: ApiRead, plan: ReadPlan, lastRead: number): Promise<void> {
    let page = lastRead;
    while (!read.stopped && read.isFull(page)) {
      page++;
      if (page > plan.maxPages) {
        read.stop(`stopped at the page cap (${plan.maxPages} pages)`);
        return;
      }
      await read.take(page);
    }
  }
}
