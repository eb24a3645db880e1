import { REQUIRED_CUSTOMER_FIELDS } from '@customer-pipeline/contracts';
import { parse } from 'csv-parse';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { MalformedRow, RawPage } from './page-source';
import { SourceError } from './source-error';

/** Rows handed on (and staged) together. */
export const CSV_PAGE_SIZE = 500;

const DECIMAL = /^-?\d+(\.\d+)?$/;

export interface CsvReadPlan {
  /** Pages a resumed run already staged: they are not handed on again. */
  staged: ReadonlySet<number>;
  /** Called once per page, with back-pressure: the reader waits for it before reading more. */
  consume(page: RawPage): Promise<void>;
}

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

/** A header that lacks a column every record needs would quarantine every row: the file is refused instead. */
function checkHeader(location: string, header: string[]): string[] {
  const missing = REQUIRED_CUSTOMER_FIELDS.filter((field) => !header.includes(field));
  if (missing.length > 0)
    throw new SourceError(`CSV ${location} lacks the required column(s) ${missing.join(', ')}`, false);
  return header;
}

/** The line a skipped record started on: csv-parse reports the line where it noticed the error. */
function firstLineOf(error: { lines: number }, text: string): number {
  const newlines = text.split('\n').length - 1;
  return error.lines - newlines + (text.endsWith('\n') ? 1 : 0);
}

interface ParsedRow {
  record: Record<string, string>;
  raw: string;
  info: { lines: number };
}

/**
 * A CSV file (path or http(s) URL) with a header row, streamed: rows are parsed as they arrive and handed on
 * a page at a time, so a file of any size is read in constant memory. A row that cannot be read as a record
 * (a wrong number of cells, an unclosed quote) is quarantined with its line number, in the page whose rows
 * surround it, and the rest of the file is applied; a file without a required column is refused.
 */
export class CsvPageSource {
  constructor(
    readonly location: string,
    private readonly pageSize: number = CSV_PAGE_SIZE,
  ) {}

  async read(plan: CsvReadPlan): Promise<void> {
    const skipped: MalformedRow[] = [];
    const rows = (await open(this.location)).pipe(
      parse({
        columns: (header: string[]) => checkHeader(this.location, header),
        bom: true,
        skip_empty_lines: true,
        trim: true,
        info: true,
        raw: true,
        skip_records_with_error: true,
        on_skip: (error, text) => {
          const raw = String(text ?? '');
          skipped.push({
            line: firstLineOf(error as unknown as { lines: number }, raw),
            text: raw.trimEnd(),
            message: error?.message ?? 'unreadable row',
          });
        },
      }),
    );
    let page = 1;
    let batch: unknown[] = [];
    let malformed: MalformedRow[] = [];
    let digest = createHash('sha1');
    // Skipped rows are reported ahead of the rows around them; each joins the page of the row after it.
    const takeSkippedBefore = (line: number) => {
      while (skipped.length > 0 && skipped[0].line < line) malformed.push(skipped.shift() as MalformedRow);
    };
    const handOn = async () => {
      if (!plan.staged.has(page))
        await plan.consume({ page, records: batch, malformed, contentDigest: digest.digest('hex') });
      page++;
      batch = [];
      malformed = [];
      digest = createHash('sha1');
    };
    try {
      for await (const row of rows as AsyncIterable<ParsedRow>) {
        takeSkippedBefore(row.info.lines);
        digest.update(row.raw);
        batch.push(csvRowToRecord(row.record));
        if (batch.length === this.pageSize) await handOn();
      }
    } catch (error) {
      if (error instanceof SourceError) throw error;
      const parseError = String((error as { code?: unknown }).code ?? '').startsWith('CSV_');
      if (!parseError) throw error;
      throw new SourceError(`CSV ${this.location} is malformed: ${(error as Error).message}`, false);
    }
    takeSkippedBefore(Number.POSITIVE_INFINITY);
    if (batch.length > 0 || malformed.length > 0 || page === 1) await handOn();
  }
}
