import { TestDatabase, createTestDatabase } from '@customer-pipeline/data-access/testing';
import { MockApiProcess, startMockApi } from '../../test/mock-api-process';
import { PipelineProcess, startPipelineProcess } from '../../test/pipeline-process';
import { ReadmeExample, readmeExamples } from '../../test/readme-examples';

/** Fields whose value changes from run to run: the README's value stands for one of the same type. */
const VARYING = new Set(['duration_ms', 'started_at', 'finished_at', 'request_id', 'records_per_second']);

/** What the shown JSON asks of the answer: every field it shows, as shown, varying ones by type only. */
function asExpected(shown: unknown): unknown {
  if (Array.isArray(shown)) return shown.map(asExpected);
  if (typeof shown !== 'object' || shown === null) return shown;
  return expect.objectContaining(
    Object.fromEntries(
      Object.entries(shown).map(([key, value]) => [
        key,
        VARYING.has(key) && value !== null ? expect.any(value.constructor) : asExpected(value),
      ]),
    ),
  );
}

/**
 * Every `curl` example of the README, run in README order as a reader would, against the built pipeline
 * and mock API on the 21-customer fixture: each must answer the status and the JSON the README shows.
 */
describe('the README examples (e2e)', () => {
  const examples = readmeExamples();
  let database: TestDatabase;
  let mockApi: MockApiProcess;
  let pipeline: PipelineProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    mockApi = await startMockApi({ LOG_LEVEL: 'silent' });
    pipeline = await startPipelineProcess({
      DATABASE_URL: database.url,
      SOURCE_URL: mockApi.url,
      LOG_LEVEL: 'silent',
    });
  }, 60_000);

  afterAll(async () => {
    pipeline?.child.kill('SIGTERM');
    await pipeline?.exited;
    await mockApi?.stop();
    await database?.drop();
  });

  it('finds the examples of both apps, the ingests first', () => {
    expect(examples.length).toBeGreaterThan(15);
    expect(examples[0]).toMatchObject({ method: 'POST', url: 'localhost:8000/api/ingest' });
    expect(examples.some((example) => example.url.startsWith('localhost:5000'))).toBe(true);
  });

  it.each(examples.map((example) => [example.line, example] as const))(
    '%s',
    async (_line: string, example: ReadmeExample) => {
      const url = `http://${example.url}`
        .replace('//localhost:8000', `//${new URL(pipeline.url).host}`)
        .replace('//localhost:5000', `//${new URL(mockApi.url).host}`);
      const response = await fetch(url, {
        method: example.method,
        headers: example.headers,
        body: example.body,
      });
      const text = await response.text();
      expect({ status: response.status, text }).toEqual({ status: example.status, text: expect.any(String) });
      if (example.shown !== undefined) {
        expect(JSON.parse(text)).toEqual(asExpected(example.shown));
      } else if (response.headers.get('content-type')?.startsWith('application/json')) {
        // A list that finds no one teaches a reader nothing, unless the README shows that it is empty.
        const { data } = JSON.parse(text) as { data?: unknown };
        expect({ line: example.line, empty: Array.isArray(data) && data.length === 0 }).toEqual({
          line: example.line,
          empty: false,
        });
      }
    },
    // An ingest right after the mock's 5-second outage example rides that outage out.
    30_000,
  );
});
