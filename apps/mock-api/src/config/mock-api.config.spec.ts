import { readMockApiConfig } from './mock-api.config';

describe('readMockApiConfig', () => {
  it('serves the fixture on port 5000 with seed 42 when nothing is set', () => {
    expect(readMockApiConfig({})).toEqual({ port: 5000, generatedCustomers: null, seed: 42 });
  });

  it('reads every variable', () => {
    expect(readMockApiConfig({ MOCK_API_PORT: '5123', MOCK_CUSTOMERS: '1000000', MOCK_SEED: '7' })).toEqual({
      port: 5123,
      generatedCustomers: 1_000_000,
      seed: 7,
    });
  });

  it('accepts zero generated customers and treats an empty value as unset', () => {
    expect(readMockApiConfig({ MOCK_CUSTOMERS: '0' }).generatedCustomers).toBe(0);
    expect(readMockApiConfig({ MOCK_CUSTOMERS: '', MOCK_API_PORT: ' ' })).toEqual({
      port: 5000,
      generatedCustomers: null,
      seed: 42,
    });
  });

  it('ignores variables that are not its own', () => {
    expect(readMockApiConfig({ PORT: '1', DATABASE_URL: 'postgres://x' }).port).toBe(5000);
  });

  it.each([
    ['MOCK_CUSTOMERS', 'abc'],
    ['MOCK_CUSTOMERS', '-5'],
    ['MOCK_CUSTOMERS', '1.5'],
    ['MOCK_CUSTOMERS', '1e6'],
    ['MOCK_CUSTOMERS', '100000000'],
    ['MOCK_API_PORT', '0'],
    ['MOCK_API_PORT', '65536'],
    ['MOCK_API_PORT', '0x1388'],
    ['MOCK_SEED', '-1'],
    ['MOCK_SEED', '4294967296'],
    ['MOCK_SEED', 'forty-two'],
  ])('refuses %s=%p with a message naming the variable and the value', (name, value) => {
    expect(() => readMockApiConfig({ [name]: value })).toThrow(
      new RegExp(
        `^Invalid mock-api configuration:\\n  - ${name} must be a whole number from .*, got "${value}"$`,
      ),
    );
  });

  it('lists every bad variable in one error', () => {
    let message = '';
    try {
      readMockApiConfig({ MOCK_API_PORT: 'http', MOCK_CUSTOMERS: '-5', MOCK_SEED: '1.5' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Invalid mock-api configuration:',
      '  - MOCK_API_PORT must be a whole number from 1 to 65535, got "http"',
      '  - MOCK_CUSTOMERS must be a whole number from 0 to 99999999, got "-5"',
      '  - MOCK_SEED must be a whole number from 0 to 4294967295, got "1.5"',
    ]);
  });
});
