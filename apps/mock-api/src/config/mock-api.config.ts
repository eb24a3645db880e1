export interface MockApiConfig {
  /** HTTP port, `MOCK_API_PORT`. */
  port: number;
  /** `MOCK_CUSTOMERS`: how many customers to generate, or null to serve the shipped fixture. */
  generatedCustomers: number | null;
  /** `MOCK_SEED`: picks which generated dataset; the same seed yields the same customers everywhere. */
  seed: number;
}

export const MOCK_API_CONFIG = Symbol('MockApiConfig');

export const DEFAULT_PORT = 5000;
export const DEFAULT_SEED = 42;
/** Generated ids carry an 8-digit index, so that string order stays numeric order. */
export const MAX_GENERATED_CUSTOMERS = 99_999_999;
export const MAX_SEED = 0xffff_ffff;

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads one variable as a whole non-negative integer within bounds. Only plain digits count: '1e6', '10.0'
 * or '0x10' are refused rather than read as some number the operator did not write.
 */
function readInteger(
  environment: Environment,
  name: string,
  bounds: { min: number; max: number },
  problems: string[],
): number | undefined {
  const raw = environment[name]?.trim();
  // An empty value is how compose files and shells say "unset"; it means the default, not an error.
  if (raw === undefined || raw === '') return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= bounds.min && value <= bounds.max)) {
    problems.push(`${name} must be a whole number from ${bounds.min} to ${bounds.max}, got "${raw}"`);
    return undefined;
  }
  return value;
}

/**
 * The only place the mock API reads its environment. Everything is checked before anything starts, and a
 * single error lists every bad variable so that a misconfigured start needs one fix, not several restarts.
 */
export function readMockApiConfig(environment: Environment = process.env): MockApiConfig {
  const problems: string[] = [];
  const port = readInteger(environment, 'MOCK_API_PORT', { min: 1, max: 65_535 }, problems);
  const generatedCustomers = readInteger(
    environment,
    'MOCK_CUSTOMERS',
    { min: 0, max: MAX_GENERATED_CUSTOMERS },
    problems,
  );
  const seed = readInteger(environment, 'MOCK_SEED', { min: 0, max: MAX_SEED }, problems);
  if (problems.length > 0) {
    throw new Error(
      `Invalid mock-api configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
  return {
    port: port ?? DEFAULT_PORT,
    generatedCustomers: generatedCustomers ?? null,
    seed: seed ?? DEFAULT_SEED,
  };
}
