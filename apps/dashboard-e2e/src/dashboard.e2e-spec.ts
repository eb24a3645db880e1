import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { TestDatabase, createTestDatabase } from '@customer-pipeline/data-access/testing';
import { RunningApp, startBuiltApp } from './support/built-apps';
import { launchChromium } from './support/chromium';

/** Git-ignored; CI keeps what the tests leave here. */
const SCREENSHOTS = join(__dirname, '../../../tmp/dashboard-e2e');

const READ_KEY = 'dashboard-read-key-0123456789';
const INGEST_KEY = 'dashboard-ingest-key-0123456789';

describe('the dashboard in Chromium, on the built pipeline and mock API (e2e)', () => {
  let browser: Browser;
  let database: TestDatabase;
  let source: RunningApp;
  let pipeline: RunningApp;
  let page: Page;
  const consoleErrors: string[] = [];

  const watch = (watched: Page, errors: string[]) => {
    watched.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    watched.on('pageerror', (error) => errors.push(error.message));
  };
  const apiJson = async (path: string) => (await fetch(`${pipeline.url}${path}`)).json();
  /** A pipeline of its own on a database of its own, reading the shared source, and a tab watched for errors. */
  const withOwnPipeline = async (
    environment: Record<string, string>,
    use: (own: RunningApp & { databaseUrl: string }, tab: Page, errors: string[]) => Promise<void>,
  ) => {
    const ownDatabase = await createTestDatabase();
    try {
      const own = await startBuiltApp('pipeline', {
        DATABASE_URL: ownDatabase.url,
        SOURCE_URL: source.url,
        ...environment,
      });
      const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      watch(tab, errors);
      try {
        await use({ ...own, databaseUrl: ownDatabase.url }, tab, errors);
      } finally {
        await tab.close();
        await own.stop();
      }
    } finally {
      await ownDatabase.drop();
    }
  };

  beforeAll(async () => {
    // First, so that a machine without Chromium fails here in one sentence, before anything starts.
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    database = await createTestDatabase();
    // 100 pages read two at a time, 100 ms each: a run of about five seconds, long enough to watch.
    source = await startBuiltApp('mock-api', {
      MOCK_CUSTOMERS: '10000',
      MOCK_INVALID_RATE: '0.05',
      MOCK_LATENCY_MS: '100',
    });
    pipeline = await startBuiltApp('pipeline', {
      DATABASE_URL: database.url,
      SOURCE_URL: source.url,
      INGEST_CONCURRENCY: '2',
      INGEST_CRON: '0 */6 * * *',
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    watch(page, consoleErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
    await source?.stop();
    await database?.drop();
  });

  it('loads under the strict content security policy, with no console error', async () => {
    const answer = await fetch(`${pipeline.url}/`);
    expect(answer.status).toBe(200);
    const policy = answer.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("script-src-attr 'none'");
    // Reached over plain HTTP by a host name, the page must not have its script asked for over HTTPS.
    expect(policy).not.toContain('upgrade-insecure-requests');
    const api = await fetch(`${pipeline.url}/api/health`);
    expect(api.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    await page.goto(pipeline.url);
    await page.getByText('No runs yet').waitFor();
    await expect(page.getByTestId('freshness').textContent()).resolves.toContain('Stale');
    expect(consoleErrors).toEqual([]);
  });

  it('shows a started ingest live, refreshed without reloading, until it ends in the runs table', async () => {
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await page.getByRole('button', { name: 'Start ingest' }).click();
    await expect(page.getByTestId('action-answer').textContent()).resolves.toBe('Run 1 started.');
    const pages = page.getByTestId('live-pages');
    await pages.waitFor();
    const first = await pages.textContent();
    expect(first).toMatch(/of (100|–) pages/);
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="live-pages"]')?.textContent !== before,
      first,
      { timeout: 10_000 },
    );
    const row = page.locator('[data-testid="runs-table"] tr[data-run-id="1"]');
    await row.getByText('success').waitFor({ timeout: 40_000 });
    await page.getByTestId('live-progress').waitFor({ state: 'detached' });
    const run = await apiJson('/api/ingest/runs/1');
    expect(await row.locator('td').allTextContents()).toEqual([
      '#1',
      'success',
      'api',
      'full',
      expect.stringMatching(/UTC$/),
      expect.stringMatching(/s$/),
      run.records_inserted.toLocaleString('en-US'),
      '0',
      '0',
      run.records_failed.toLocaleString('en-US'),
      // Deleted and restored, from a pipeline that counts them.
      ...(run.records_deleted === undefined
        ? []
        : [String(run.records_deleted), String(run.records_restored)]),
      '',
    ]);
    expect(run.records_failed).toBeGreaterThan(0);
    await expect(page.getByTestId('freshness').textContent()).resolves.toContain('Fresh');
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );
    expect(consoleErrors).toEqual([]);
  });

  it("shows a run's quarantined records grouped by field and rule", async () => {
    await page.getByRole('link', { name: '#1' }).first().click();
    const groups = page.locator('[data-testid="failure-groups"] tbody tr');
    await groups.first().waitFor();
    const expected: { field: string; rule: string }[] = (await apiJson('/api/ingest/runs/1/failures/summary'))
      .data;
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(expected.map((group) => group.rule)).toContain('isEmail');
    const shown = await groups.evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('td')].slice(0, 2).map((cell) => cell.textContent)),
    );
    expect(shown).toEqual(expected.map((group) => [group.field, group.rule]));
    expect(consoleErrors).toEqual([]);
  });

  it('fits 1280 and 390 px wide, and leaves screenshots of both', async () => {
    for (const [view, hash] of [
      ['runs', '#/'],
      ['run', '#/runs/1'],
    ]) {
      await page.goto(`${pipeline.url}/${hash}`);
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        // The page itself never scrolls sideways; wide tables scroll inside their own box.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await page.screenshot({ path: join(SCREENSHOTS, `${view}-${width}.png`), fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    expect(consoleErrors).toEqual([]);
  });

  it('approves a held run from its page, which applies it', async () => {
    // A pipeline of its own whose invalid-share guard holds a run of this source (5% invalid).
    await withOwnPipeline(
      { INGEST_CONCURRENCY: '4', INGEST_MAX_INVALID_SHARE: '0.01' },
      async (guarded, tab, errors) => {
        const held = await (await fetch(`${guarded.url}/api/ingest`, { method: 'POST' })).json();
        expect(held).toMatchObject({ status: 'needs_review', inserted: 0 });
        const valid = held.records_processed - held.failed;
        await tab.goto(guarded.url);
        // The runs table says why the run waits.
        await tab
          .locator(`tr[data-run-id="${held.run_id}"] td.reason`)
          .getByText(/more than INGEST_MAX_INVALID_SHARE/)
          .waitFor();
        await tab.goto(`${guarded.url}/#/runs/${held.run_id}`);
        await tab
          .getByTestId('findings')
          .getByText(/INGEST_MAX_INVALID_SHARE/)
          .waitFor();
        await tab.getByRole('button', { name: `Approve run ${held.run_id}` }).click();
        await expect(tab.getByTestId('review-answer').textContent()).resolves.toBe(
          `Approved: run ${held.run_id} is now success.`,
        );
        // The stored total follows the commit as its notification arrives, a moment after the answer.
        const customers = async () => (await (await fetch(`${guarded.url}/api/stats`)).json()).customers;
        for (let attempt = 0; attempt < 40 && (await customers()) !== valid; attempt++)
          await new Promise((resolve) => setTimeout(resolve, 50));
        expect(await customers()).toBe(valid);
        expect(errors).toEqual([]);
      },
    );
  });

  it('asks a keyed pipeline for each key once, and keeps them for the tab only', async () => {
    // A second process on the same data, with keys: it serves the page and queues runs for the first.
    const keyed = await startBuiltApp('pipeline', {
      DATABASE_URL: database.url,
      SOURCE_URL: source.url,
      PIPELINE_ROLE: 'api',
      READ_API_KEY: READ_KEY,
      INGEST_API_KEY: INGEST_KEY,
    });
    const tab = await browser.newPage();
    const errors: string[] = [];
    watch(tab, errors);
    try {
      await tab.goto(keyed.url);
      await tab.getByLabel('Read key (READ_API_KEY)').fill(READ_KEY);
      await tab.getByRole('button', { name: 'Use this key' }).click();
      await tab.locator('[data-testid="runs-table"] tr[data-run-id="1"]').waitFor();

      await tab.getByRole('button', { name: 'Start ingest' }).click();
      await tab.getByLabel('Ingest key (INGEST_API_KEY)').fill(INGEST_KEY);
      await tab.getByRole('button', { name: 'Use this key' }).click();
      await expect(tab.getByTestId('action-answer').textContent()).resolves.toBe('Run 2 started.');
      await tab.locator('tr[data-run-id="2"]').getByText('success').waitFor({ timeout: 40_000 });

      // A reload of the tab keeps the keys; nothing is written where another tab or a restart could read it.
      await tab.reload();
      await tab.locator('tr[data-run-id="2"]').waitFor();
      expect(await tab.getByLabel(/key/).count()).toBe(0);
      expect(await tab.evaluate(() => [sessionStorage.length, localStorage.length, document.cookie])).toEqual(
        [2, 0, ''],
      );
      // Chromium logs each 401 it was answered, one per key; nothing else went wrong.
      expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([]);
    } finally {
      await tab.close();
      await keyed.stop();
    }
  });

  it('pages through 1,000 runs twenty at a time, with every control reached from the keyboard', async () => {
    // A process that runs no jobs: the runs are history, written straight into its database.
    await withOwnPipeline({ PIPELINE_ROLE: 'api' }, async (many, tab, errors) => {
      const limits: number[] = [];
      tab.on('request', (asked) => {
        const url = new URL(asked.url());
        if (url.pathname === '/api/ingest/runs') limits.push(Number(url.searchParams.get('limit')));
      });
      const client = new Client({ connectionString: many.databaseUrl });
      await client.connect();
      await client
        .query(
          `INSERT INTO ingest_runs (trigger, status, started_at, finished_at, records_processed, records_inserted)
           SELECT 'schedule', 'success', now() - (1001 - n) * interval '1 hour',
                  now() - (1001 - n) * interval '1 hour' + interval '40 seconds', 1000 + n, n
           FROM generate_series(1, 1000) n`,
        )
        .finally(() => client.end());

      await tab.goto(many.url);
      await tab.locator('tr[data-run-id="1000"]').waitFor();
      await tab.getByText('Page 1 of 50 (1,000 runs)').waitFor();
      expect(await tab.locator('[data-testid="runs-table"] tbody tr').count()).toBe(20);

      // Tab from the top of the page to the pager, naming each control that takes the focus.
      const focused: string[] = [];
      while (focused.at(-1) !== 'Older' && focused.length < 100) {
        await tab.keyboard.press('Tab');
        focused.push(
          await tab.evaluate(() => (document.activeElement?.textContent ?? '').trim().replace(/\s+/g, ' ')),
        );
      }
      expect(focused).toEqual(expect.arrayContaining(['Start ingest', '#1000', 'Older']));
      await tab.keyboard.press('Enter');
      await tab.getByText('Page 2 of 50 (1,000 runs)').waitFor();
      await tab.locator('tr[data-run-id="980"]').waitFor();
      expect(await tab.locator('[data-testid="runs-table"] tbody tr').count()).toBe(20);

      // The page asks for one page of runs, or the thirty of its charts, never for all of them.
      expect(limits.length).toBeGreaterThan(0);
      expect(Math.max(...limits)).toBeLessThanOrEqual(30);
      expect(errors).toEqual([]);
    });
  });
});
