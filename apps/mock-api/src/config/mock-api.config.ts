import { applyDecorators } from '@nestjs/common';
import {
  EnvVariable,
  HttpLoggingOptions,
  LoggingEnvironment,
  loggingOptionsOf,
  validateEnvironment,
} from '@customer-pipeline/http-runtime';
import { Transform } from 'class-transformer';
import { IsOptional, ValidateBy } from 'class-validator';
import { MAX_GENERATED_INDEX } from '../customers/customer-generator';
import { MAX_REVISION } from '../customers/revision-calendar';

/** Seeds are hashed as one 32-bit word. */
const MAX_WORD = 0xffff_ffff;
/** Ten minutes: longer than any client timeout worth testing. */
const MAX_LATENCY_MS = 600_000;
const MAX_RATE_LIMIT = 1_000_000;

const PLAIN_DIGITS = /^\d+$/;
const PLAIN_DECIMAL = /^(\d+(\.\d+)?|\.\d+)$/;

/**
 * A number written in the plain form `pattern` accepts, for which `isAllowed` holds. Anything else is left as
 * written, to be refused and quoted: class-transformer's implicit conversion would read '1e6' or '0x10' as
 * some number the operator did not write.
 */
function PlainNumber(
  pattern: RegExp,
  isAllowed: (value: number) => boolean,
  expected: string,
): PropertyDecorator {
  return applyDecorators(
    Transform(({ obj, key }) => {
      const written: unknown = obj[key];
      return typeof written === 'string' && pattern.test(written) ? Number(written) : written;
    }),
    ValidateBy({
      name: 'isPlainNumber',
      validator: {
        validate: (value) => typeof value === 'number' && isAllowed(value),
        defaultMessage: (args) => `${args?.property} must be ${expected}, got "${args?.value}"`,
      },
    }),
  );
}

/** Plain digits only, from `min` to `max`: '1e6', '10.0' and '0x10' are refused. */
function WholeNumber(min: number, max: number): PropertyDecorator {
  return PlainNumber(
    PLAIN_DIGITS,
    (value) => Number.isSafeInteger(value) && value >= min && value <= max,
    `a whole number from ${min} to ${max}`,
  );
}

/** A share from 0 to 1 in plain decimal form: '0.2', '.5', '1'; not '1e-1' or '20%'. */
function Share(): PropertyDecorator {
  return PlainNumber(PLAIN_DECIMAL, (value) => value >= 0 && value <= 1, 'a decimal from 0 to 1');
}

/**
 * Refuses a value other than 0 while the fixture is served: the fixture is hand-written and fixed, so asking
 * it for invalid or revised records would silently do nothing.
 */
function OnlyWithGeneratedCustomers(): PropertyDecorator {
  return ValidateBy({
    name: 'onlyWithGeneratedCustomers',
    validator: {
      // A value that is not a number at all is already refused by its own rule.
      validate: (value, args) =>
        typeof value !== 'number' ||
        value === 0 ||
        (args?.object as MockApiEnvironment).MOCK_CUSTOMERS !== undefined,
      defaultMessage: (args) => `${args?.property} only applies to generated customers: set MOCK_CUSTOMERS`,
    },
  });
}

/**
 * Refuses an add rate whose revisions would add customers past the largest id: their ids would no longer
 * sort as numbers.
 */
function AddsWithinIds(): PropertyDecorator {
  const lastIndex = ({ MOCK_CUSTOMERS = 0, MOCK_REVISION, MOCK_ADD_RATE }: MockApiEnvironment) =>
    MOCK_CUSTOMERS + MOCK_REVISION * Math.round(MOCK_ADD_RATE * MOCK_CUSTOMERS);
  return ValidateBy({
    name: 'addsWithinIds',
    validator: {
      validate: (value, args) => {
        const environment = args?.object as MockApiEnvironment;
        const customers = environment.MOCK_CUSTOMERS;
        // A value that is not a number, here or in MOCK_CUSTOMERS, is refused by its own rule.
        if (typeof value !== 'number' || typeof customers !== 'number' || customers > MAX_GENERATED_INDEX) {
          return true;
        }
        return !(lastIndex(environment) > MAX_GENERATED_INDEX);
      },
      defaultMessage: (args) =>
        `${args?.property} would add customers up to index ${lastIndex(args?.object as MockApiEnvironment)} by ` +
        `MOCK_REVISION, past the largest id, ${MAX_GENERATED_INDEX}`,
    },
  });
}

/**
 * Every environment variable the mock API reads, with its rules, default and description; the README's
 * configuration rows and `.env.example` are checked against it by a test. All failure modes are off by
 * default.
 */
export class MockApiEnvironment extends LoggingEnvironment {
  @EnvVariable('HTTP port of the mock API')
  @WholeNumber(1, 65_535)
  MOCK_API_PORT: number = 5000;

  @EnvVariable('serve N generated customers instead of the 21-customer fixture')
  @IsOptional()
  @WholeNumber(0, MAX_GENERATED_INDEX)
  MOCK_CUSTOMERS?: number;

  @EnvVariable('which generated dataset, and which requests and records fail')
  @WholeNumber(0, MAX_WORD)
  MOCK_SEED: number = 42;

  @EnvVariable('share of customers requests answered 500 or 503, from 0 to 1')
  @Share()
  MOCK_FAILURE_RATE: number = 0;

  @EnvVariable(`delay in ms before every customers answer, up to ${MAX_LATENCY_MS}`)
  @WholeNumber(0, MAX_LATENCY_MS)
  MOCK_LATENCY_MS: number = 0;

  @EnvVariable('customers requests per second above which it answers 429; 0: no limit')
  @WholeNumber(0, MAX_RATE_LIMIT)
  MOCK_RATE_LIMIT: number = 0;

  @EnvVariable('share of generated customers served with one field that breaks the contract')
  @Share()
  @OnlyWithGeneratedCustomers()
  MOCK_INVALID_RATE: number = 0;

  @EnvVariable(
    `revision of the generated dataset, up to ${MAX_REVISION}; each one above 0 revises the one before`,
  )
  @WholeNumber(0, MAX_REVISION)
  @OnlyWithGeneratedCustomers()
  MOCK_REVISION: number = 0;

  @EnvVariable('share of the customers a revision keeps whose balance and address it changes')
  @Share()
  MOCK_CHANGE_RATE: number = 0.1;

  @EnvVariable('share of the present customers each revision deletes')
  @Share()
  @OnlyWithGeneratedCustomers()
  MOCK_DELETE_RATE: number = 0;

  @EnvVariable('share of the deleted customers each revision restores')
  @Share()
  @OnlyWithGeneratedCustomers()
  MOCK_RESTORE_RATE: number = 0;

  @EnvVariable('customers each revision adds after the last id, as a share of MOCK_CUSTOMERS')
  @Share()
  @OnlyWithGeneratedCustomers()
  @AddsWithinIds()
  MOCK_ADD_RATE: number = 0;
}

/** The mock API's settings as the application uses them, injected everywhere as `MOCK_API_CONFIG`. */
export interface MockApiConfig {
  /** `MOCK_API_PORT` */
  port: number;
  /** `MOCK_CUSTOMERS`, or null to serve the shipped fixture. */
  generatedCustomers: number | null;
  /** `MOCK_SEED`: the same seed yields the same customers, failures and defects everywhere. */
  seed: number;
  /** `MOCK_FAILURE_RATE` */
  failureRate: number;
  /** `MOCK_LATENCY_MS` */
  latencyMs: number;
  /** `MOCK_RATE_LIMIT`; 0 means no limit. */
  rateLimit: number;
  /** `MOCK_INVALID_RATE` */
  invalidRate: number;
  /** `MOCK_REVISION`; 0 is the dataset as first generated. */
  revision: number;
  /** `MOCK_CHANGE_RATE` */
  changeRate: number;
  /** `MOCK_DELETE_RATE` */
  deleteRate: number;
  /** `MOCK_RESTORE_RATE` */
  restoreRate: number;
  /** `MOCK_ADD_RATE` */
  addRate: number;
  /** `LOG_LEVEL`, `LOG_FORMAT` and `NODE_ENV`, as the logger reads them. */
  logging: HttpLoggingOptions;
}

export const MOCK_API_CONFIG = Symbol('MockApiConfig');

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The only place the mock API reads its environment. Everything is checked before anything starts, and a
 * single error lists every bad variable so that a misconfigured start needs one fix, not several restarts.
 */
export function readMockApiConfig(environment: Environment = process.env): MockApiConfig {
  // A blank value is how compose files and shells say "unset", like an empty one: it means the default.
  const trimmed = Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [name, value?.trim()]),
  );
  const variables = validateEnvironment(MockApiEnvironment, trimmed, 'mock-api');
  return {
    port: variables.MOCK_API_PORT,
    generatedCustomers: variables.MOCK_CUSTOMERS ?? null,
    seed: variables.MOCK_SEED,
    failureRate: variables.MOCK_FAILURE_RATE,
    latencyMs: variables.MOCK_LATENCY_MS,
    rateLimit: variables.MOCK_RATE_LIMIT,
    invalidRate: variables.MOCK_INVALID_RATE,
    revision: variables.MOCK_REVISION,
    changeRate: variables.MOCK_CHANGE_RATE,
    deleteRate: variables.MOCK_DELETE_RATE,
    restoreRate: variables.MOCK_RESTORE_RATE,
    addRate: variables.MOCK_ADD_RATE,
    logging: loggingOptionsOf(variables),
  };
}
