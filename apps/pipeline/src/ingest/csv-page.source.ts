import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { PageSource, ReadOutcome, ReadPlan } from './page-source';
import { SourceError } from './source-error';

/** Rows handed on (and staged) together. */
export const CSV_PAGE_SIZE = 500;

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * CSV has only text. An empty cell is an absent value; the balance becomes a number when it is written as
 * one. Anything else is left as written, so that the contract, not this reader, decides what is valid.
 */
export function csvRowToRecord(row: Record<string, string>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [column, text] of Object.entries(row)) {
    if (text === '') record[column] = null;
    else if (column === 'account_balance' && DECIMAL.test(text)) record[column] = Number(text);
    else record[column] = text;
  }
  return record;
}

async function open(location: string): Promise<Readable> {
  if (/^https?:\/\//i.test(location)) {
    const response = await fetch(location).catch((error: Error) => {
      throw new SourceError(`CSV ${location} unreachable: ${error.message}`, false);
    });
    if (!response.ok || !response.body)
      throw new SourceError(`CSV ${location} answered HTTP ${response.status}`, false);
    return Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]);
  }
  await access(location).catch(() => {
    throw new SourceError(`CSV file ${location} cannot be read`, false);
  });
  return createReadStream(location);
}

/**
 * A CSV file (path or http(s) URL) with a header row, streamed: rows are parsed as they arrive and handed
 * on a page at a time, so a file of any size is read in constant memory.
 */
export class CsvPageSource implements PageSource {
  readonly kind = 'csv' as const;

  constructor(
    readonly location: string,
    private readonly pageSize: number = CSV_PAGE_SIZE,
  ) {}

  async read(plan: ReadPlan): Promise<ReadOutcome> {
    await plan.onTotal(null, null);
    const rows = (await open(this.location)).pipe(
      parse({ columns: true, bom: true, skip_empty_lines: true, trim: true }),
    );
    let page = 1;
    let batch: unknown[] = [];
    const handOn = async () => {
      if (!plan.staged.has(page)) await plan.consume({ page, records: batch });
      page++;
      batch = [];
    };
    try {
      for await (const row of rows) {
        batch.push(csvRowToRecord(row));
        if (batch.length === this.pageSize) await handOn();
      }
    } catch (error) {
      const parseError = String((error as { code?: unknown }).code ?? '').startsWith('CSV_');
      if (!parseError) throw error;
      throw new SourceError(`CSV ${this.location} is malformed: ${(error as Error).message}`, false);
    }
    if (batch.length > 0 || page === 1) await handOn();
    return { sourceTotal: null, notes: [] };
  }
}
