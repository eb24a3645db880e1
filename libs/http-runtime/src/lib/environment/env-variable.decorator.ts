import 'reflect-metadata';

const DESCRIPTIONS = Symbol('environment-variable-descriptions');

/**
 * Documents one environment variable of a configuration class. The description, the type rules and the
 * default all live on the property, and the README's configuration table is generated from them.
 */
export function EnvVariable(description: string): PropertyDecorator {
  return (target, property) => {
    const existing: Map<string, string> = Reflect.getMetadata(DESCRIPTIONS, target) ?? new Map();
    const descriptions = new Map(existing).set(String(property), description);
    Reflect.defineMetadata(DESCRIPTIONS, descriptions, target);
  };
}

export interface EnvVariableDoc {
  name: string;
  description: string;
  /** The default as text, or null when the variable has none. */
  defaultValue: string | null;
}

/** Every documented variable of a configuration class, in declaration order, with its default. */
export function describeEnvironment(config: new () => object): EnvVariableDoc[] {
  const descriptions: Map<string, string> = Reflect.getMetadata(DESCRIPTIONS, config.prototype) ?? new Map();
  const defaults = new config() as Record<string, unknown>;
  return [...descriptions].map(([name, description]) => ({
    name,
    description,
    defaultValue: defaults[name] === undefined ? null : String(defaults[name]),
  }));
}
