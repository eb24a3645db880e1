import { describeEnvironment, environmentTableRows } from '@customer-pipeline/http-runtime';
import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MockApiEnvironment, readMockApiConfig } from './mock-api.config';

const DEFAULTS = {
  port: 5000,
  generatedCustomers: null,
  seed: 42,
  failureRate: 0,
  latencyMs: 0,
  rateLimit: 0,
  invalidRate: 0,
  revision: 0,
  changeRate: 0.1,
  deleteRate: 0,
  restoreRate: 0,
  addRate: 0,
  logging: { level: 'info', format: 'auto', nodeEnv: undefined },
};

function errorOf(environment: Record<string, string>): string {
  try {
    readMockApiConfig(environment);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(environment)} was accepted`);
}

describe('readMockApiConfig', () => {
  it('serves the fixture on port 5000 with seed 42 and every failure mode off when nothing is set', () => {
    expect(readMockApiConfig({})).toEqual(DEFAULTS);
  });

  it('reads every variable', () => {
    expect(
      readMockApiConfig({
        MOCK_API_PORT: '5123',
        MOCK_CUSTOMERS: '1000000',
        MOCK_SEED: '7',
        MOCK_FAILURE_RATE: '0.2',
        MOCK_LATENCY_MS: '250',
        MOCK_RATE_LIMIT: '50',
        MOCK_INVALID_RATE: '.05',
        MOCK_REVISION: '3',
        MOCK_CHANGE_RATE: '1',
        MOCK_DELETE_RATE: '0.01',
        MOCK_RESTORE_RATE: '0.5',
        MOCK_ADD_RATE: '0.02',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        NODE_ENV: 'production',
      }),
    ).toEqual({
      port: 5123,
      generatedCustomers: 1_000_000,
      seed: 7,
      failureRate: 0.2,
      latencyMs: 250,
      rateLimit: 50,
      invalidRate: 0.05,
      revision: 3,
      changeRate: 1,
      deleteRate: 0.01,
      restoreRate: 0.5,
      addRate: 0.02,
      logging: { level: 'warn', format: 'json', nodeEnv: 'production' },
    });
  });

  it('accepts zero generated customers and treats an empty or blank value as unset', () => {
    expect(readMockApiConfig({ MOCK_CUSTOMERS: '0' }).generatedCustomers).toBe(0);
    expect(readMockApiConfig({ MOCK_CUSTOMERS: '', MOCK_API_PORT: ' ', MOCK_CHANGE_RATE: '' })).toEqual(
      DEFAULTS,
    );
  });

  it('ignores variables that are not its own', () => {
    expect(readMockApiConfig({ PORT: '1', DATABASE_URL: 'postgres://x' })).toEqual(DEFAULTS);
  });

  it.each([
    ['MOCK_CUSTOMERS', 'abc', '0 to 99999999'],
    ['MOCK_CUSTOMERS', '-5', '0 to 99999999'],
    ['MOCK_CUSTOMERS', '1.5', '0 to 99999999'],
    ['MOCK_CUSTOMERS', '1e6', '0 to 99999999'],
    ['MOCK_CUSTOMERS', '100000000', '0 to 99999999'],
    ['MOCK_API_PORT', '0', '1 to 65535'],
    ['MOCK_API_PORT', '65536', '1 to 65535'],
    ['MOCK_API_PORT', '0x1388', '1 to 65535'],
    ['MOCK_SEED', '-1', '0 to 4294967295'],
    ['MOCK_SEED', '4294967296', '0 to 4294967295'],
    ['MOCK_SEED', 'forty-two', '0 to 4294967295'],
    ['MOCK_LATENCY_MS', '100.5', '0 to 600000'],
    ['MOCK_LATENCY_MS', '600001', '0 to 600000'],
    ['MOCK_RATE_LIMIT', '-1', '0 to 1000000'],
    ['MOCK_RATE_LIMIT', '10/s', '0 to 1000000'],
    ['MOCK_REVISION', '366', '0 to 365'],
    ['MOCK_REVISION', '4294967295', '0 to 365'],
  ])('refuses %s=%p as not a whole number from %s', (name, value, range) => {
    expect(errorOf({ MOCK_CUSTOMERS: '10', [name]: value })).toBe(
      `Invalid mock-api configuration:\n  - ${name}: ${name} must be a whole number from ${range}, got "${value}"`,
    );
  });

  it.each([
    ['MOCK_FAILURE_RATE', '1.01'],
    ['MOCK_FAILURE_RATE', '-0.1'],
    ['MOCK_FAILURE_RATE', '20%'],
    ['MOCK_INVALID_RATE', '1e-1'],
    ['MOCK_INVALID_RATE', '0.'],
    ['MOCK_CHANGE_RATE', 'half'],
    ['MOCK_CHANGE_RATE', '2'],
    ['MOCK_DELETE_RATE', '1.5'],
    ['MOCK_RESTORE_RATE', '-1'],
    ['MOCK_ADD_RATE', '5%'],
  ])('refuses %s=%p as not a share', (name, value) => {
    expect(errorOf({ MOCK_CUSTOMERS: '10', [name]: value })).toBe(
      `Invalid mock-api configuration:\n  - ${name}: ${name} must be a decimal from 0 to 1, got "${value}"`,
    );
  });

  it.each(['MOCK_INVALID_RATE', 'MOCK_REVISION', 'MOCK_DELETE_RATE', 'MOCK_RESTORE_RATE', 'MOCK_ADD_RATE'])(
    'refuses %s on the fixture, which it would not change',
    (name) => {
      expect(errorOf({ [name]: '1' })).toBe(
        `Invalid mock-api configuration:\n  - ${name}: ${name} only applies to generated customers: set MOCK_CUSTOMERS`,
      );
      expect(readMockApiConfig({ [name]: '0' })).toEqual(DEFAULTS);
      expect(readMockApiConfig({ [name]: '1', MOCK_CUSTOMERS: '0' }).generatedCustomers).toBe(0);
    },
  );

  it('refuses an add rate whose revisions would add ids past the largest', () => {
    const adding = { MOCK_CUSTOMERS: '50000000', MOCK_ADD_RATE: '0.5' };
    expect(readMockApiConfig({ ...adding, MOCK_REVISION: '1' }).addRate).toBe(0.5);
    expect(errorOf({ ...adding, MOCK_REVISION: '2' })).toBe(
      'Invalid mock-api configuration:\n  - MOCK_ADD_RATE: MOCK_ADD_RATE would add customers up to index ' +
        '100000000 by MOCK_REVISION, past the largest id, 99999999',
    );
  });

  it('lists every bad variable in one error', () => {
    expect(
      errorOf({
        MOCK_API_PORT: 'http',
        MOCK_CUSTOMERS: '-5',
        MOCK_SEED: '1.5',
        MOCK_FAILURE_RATE: '5',
        MOCK_RATE_LIMIT: 'none',
      }).split('\n'),
    ).toEqual([
      'Invalid mock-api configuration:',
      '  - MOCK_API_PORT: MOCK_API_PORT must be a whole number from 1 to 65535, got "http"',
      '  - MOCK_CUSTOMERS: MOCK_CUSTOMERS must be a whole number from 0 to 99999999, got "-5"',
      '  - MOCK_SEED: MOCK_SEED must be a whole number from 0 to 4294967295, got "1.5"',
      '  - MOCK_FAILURE_RATE: MOCK_FAILURE_RATE must be a decimal from 0 to 1, got "5"',
      '  - MOCK_RATE_LIMIT: MOCK_RATE_LIMIT must be a whole number from 0 to 1000000, got "none"',
    ]);
  });
});

describe('MockApiEnvironment', () => {
  const root = join(__dirname, '../../../..');
  const variables = describeEnvironment(MockApiEnvironment);

  it('describes every variable it validates', () => {
    const validated = getMetadataStorage()
      .getTargetValidationMetadatas(MockApiEnvironment, '', true, false)
      .map((rule) => rule.propertyName);
    expect(variables.map((variable) => variable.name)).toEqual([...new Set(validated)]);
  });

  it('is what the README configuration table says of the mock API, row for row', () => {
    // Prettier pads table cells; compare rows cell by cell.
    const cells = (row: string) => row.replace(/\s*\|\s*/g, '|').trim();
    const readmeRows = readFileSync(join(root, 'README.md'), 'utf8')
      .split('\n')
      .map(cells)
      .filter((row) => row.startsWith('|`') && row.split('|')[2] === 'mock-api');
    expect(readmeRows).toEqual(environmentTableRows('mock-api', variables).map(cells));
  });

  it('is listed in .env.example, every variable', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    // The logging variables are shared with the pipeline and listed once.
    const listed = new Set([...example.matchAll(/^#? ?([A-Z_]+)=/gm)].map((match) => match[1]));
    expect(variables.map((variable) => variable.name).filter((name) => !listed.has(name))).toEqual([]);
  });
});
