import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/**
 * Reads a configuration class out of the environment, once, at start-up. A bad or missing value stops
 * the start with one error that lists every bad variable, so that one look fixes them all.
 */
export function validateEnvironment<T extends object>(
  config: new () => T,
  environment: Record<string, unknown>,
  serviceName: string,
): T {
  // An empty value is how compose files and shells say "unset": it means the default, not an error.
  const given = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));
  const instance = plainToInstance(config, given, { enableImplicitConversion: true });
  const errors = validateSync(instance, { skipMissingProperties: false });
  if (errors.length === 0) return instance;
  const lines = errors.map(
    (error) => `  - ${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`,
  );
  throw new Error(`Invalid ${serviceName} configuration:\n${lines.join('\n')}`);
}
