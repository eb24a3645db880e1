import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { CsvPageSource, CsvReadPlan, csvRowToRecord } from './csv-page.source';
import { RawPage } from './page-source';
import { csvLocation } from './page-source.registry';
import { SourceError } from './source-error';

const HEADER =
  'customer_id,first_name,last_name,email,phone,address,date_of_birth,account_balance,created_at';

function plan(consumed: RawPage[], staged: ReadonlySet<number> = new Set()): CsvReadPlan {
  return { staged, consume: async (page) => void consumed.push(page) };
}

describe('csvRowToRecord', () => {
  it('turns empty cells into null and a decimal balance into a number, leaving the rest as written', () => {
    expect(
      csvRowToRecord({
        customer_id: 'C1',
        phone: '',
        account_balance: '-12.50',
        date_of_birth: '1990-01-01',
      }),
    ).toEqual({ customer_id: 'C1', phone: null, account_balance: -12.5, date_of_birth: '1990-01-01' });
    expect(csvRowToRecord({ account_balance: '12,50' })).toEqual({ account_balance: '12,50' });
  });
});

describe('CsvPageSource', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csv-source-'));

  it('hands rows on in pages, with quoted commas and a BOM handled', async () => {
    const file = join(dir, 'small.csv');
    writeFileSync(
      file,
      `\uFEFF${HEADER}\nC1,Ada,Lovelace,ada@example.com,,"1 Main St, London",1815-12-10,12.50,\nC2,Bob,Stone,bob@example.com,+1,,,,\nC3,Cy,Young,cy@example.com,,,,,\n`,
    );
    const pages: RawPage[] = [];
    await new CsvPageSource(file, 2).read(plan(pages));
    expect(pages.map((p) => [p.page, p.records.length])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(pages[0].records[0]).toMatchObject({
      customer_id: 'C1',
      address: '1 Main St, London',
      account_balance: 12.5,
    });
  });

  it('skips the pages a resumed run already staged', async () => {
    const file = join(dir, 'resume.csv');
    writeFileSync(
      file,
      [HEADER, ...['A', 'B', 'C', 'D', 'E'].map((id) => `${id},F,L,${id}@x.io,,,,,`)].join('\n'),
    );
    const pages: RawPage[] = [];
    await new CsvPageSource(file, 2).read(plan(pages, new Set([1, 2])));
    expect(pages.map((p) => p.page)).toEqual([3]);
  });

  it('streams a large file without holding it: memory stays flat', async () => {
    const file = join(dir, 'large.csv');
    const out = createWriteStream(file);
    out.write(`${HEADER}\n`);
    for (let i = 0; i < 100_000; i++) {
      if (
        !out.write(
          `C${i},First${i},Last${i},c${i}@example.com,+1 555 0100,"${i} Long Road, Town",1990-01-01,${i}.25,\n`,
        )
      ) {
        await once(out, 'drain');
      }
    }
    out.end();
    await once(out, 'finish');
    let rows = 0;
    // What the source holds, not the garbage a busy machine has yet to collect: the heap after a collection.
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const live = () => {
      collect();
      return process.memoryUsage().heapUsed;
    };
    const baseline = live();
    let peakHeap = baseline;
    const source = new CsvPageSource(file);
    await source.read({
      ...plan([]),
      consume: async (page) => {
        rows += page.records.length;
        if (page.page % 20 === 0) peakHeap = Math.max(peakHeap, live());
      },
    });
    expect(rows).toBe(100_000);
    // Held whole, 100,000 rows take ~100 MB as objects; pages of 500 rows keep what is live to a few MB.
    expect(peakHeap - baseline).toBeLessThan(32 * 1024 * 1024);
  }, 60_000);

  it('reports a missing file as a source error', async () => {
    await expect(new CsvPageSource(join(dir, 'none.csv')).read(plan([]))).rejects.toThrow(SourceError);
  });

  it('refuses a header that lacks a required column, naming it, before reading a row', async () => {
    const file = join(dir, 'no-id.csv');
    writeFileSync(file, 'id,first_name,last_name,mail\nC1,Ada,Lovelace,ada@example.com\n');
    const pages: RawPage[] = [];
    await expect(new CsvPageSource(file).read(plan(pages))).rejects.toThrow(
      `CSV ${file} lacks the required column(s) customer_id, email`,
    );
    expect(pages).toEqual([]);
  });

  it('sets rows of the wrong shape aside with their line numbers and hands on the rest', async () => {
    const file = join(dir, 'ragged.csv');
    writeFileSync(
      file,
      [
        HEADER,
        'C1,Ada,L,a@x.io,,,,,',
        'C2,Bob,L,b@x.io,,,,,,too,many',
        'C3,Cy,L,c@x.io,,,,,',
        'C4,"Dee,L',
      ].join('\n'),
    );
    const pages: RawPage[] = [];
    await new CsvPageSource(file, 2).read(plan(pages));
    expect(pages.map((p) => p.records.map((r) => (r as { customer_id: string }).customer_id))).toEqual([
      ['C1', 'C3'],
      [],
    ]);
    // Each joins the page of the row after it; a row at the very end, a page of its own.
    expect(pages.map((p) => p.malformed?.map(({ line, text }) => ({ line, text })))).toEqual([
      [{ line: 3, text: 'C2,Bob,L,b@x.io,,,,,,too,many' }],
      [{ line: 5, text: 'C4,"Dee,L' }],
    ]);
    expect(pages[0].malformed?.[0].message).toMatch(/Invalid Record Length/);
  });

  it('puts a set-aside row in the same page on every read, so a resumed run quarantines it once', async () => {
    const file = join(dir, 'ragged-pages.csv');
    const rows = ['A', 'B', 'C', 'D'].map((id) => `${id},F,L,${id}@x.io,,,,,`);
    writeFileSync(file, [HEADER, rows[0], rows[1], 'X,too,few', rows[2], rows[3]].join('\n'));
    const read = async () => {
      const pages: RawPage[] = [];
      await new CsvPageSource(file, 2).read(plan(pages));
      return pages.map((p) => [p.page, p.malformed?.map((m) => m.line) ?? []]);
    };
    const first = await read();
    expect(first).toEqual([
      [1, []],
      [2, [4]],
    ]);
    expect(await read()).toEqual(first);
  });
});

describe('csvLocation', () => {
  it('makes a relative path absolute from the folder given, and leaves a URL as it is', () => {
    expect(csvLocation('data/c.csv', '/home/me/work')).toBe('/home/me/work/data/c.csv');
    expect(csvLocation('/abs/c.csv', '/home/me/work')).toBe('/abs/c.csv');
    expect(csvLocation('https://x.io/c.csv', '/home/me')).toBe('https://x.io/c.csv');
  });
});
