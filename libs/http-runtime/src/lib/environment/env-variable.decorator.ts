import 'reflect-metadata';

const DESCRIPTIONS = Symbol('environment-variable-descriptions');

/**
 * Documents one environment variable of a configuration class. The description, the type rules and the
 * default all live on the property, and the README's configuration table is generated from them.
 */
export function EnvVariable(description: string): PropertyDecorator {
  return (target, property) => {
    const own: Map<string, string> = Reflect.getOwnMetadata(DESCRIPTIONS, target) ?? new Map();
    Reflect.defineMetadata(DESCRIPTIONS, own.set(String(property), description), target);
  };
}

export interface EnvVariableDoc {
  name: string;
  description: string;
  /** The default as text, or null when the variable has none. */
  defaultValue: string | null;
}

/** A class's own variables first, then those it inherits (the shared logging ones), in declaration order. */
function descriptionsOf(prototype: object | null): [string, string][] {
  if (prototype === null) return [];
  const own: Map<string, string> = Reflect.getOwnMetadata(DESCRIPTIONS, prototype) ?? new Map();
  return [...own, ...descriptionsOf(Object.getPrototypeOf(prototype))];
}

/** Every documented variable of a configuration class, with its default. */
export function describeEnvironment(config: new () => object): EnvVariableDoc[] {
  const descriptions = descriptionsOf(config.prototype);
  const defaults = new config() as Record<string, unknown>;
  return descriptions.map(([name, description]) => ({
    name,
    description,
    defaultValue: defaults[name] === undefined ? null : String(defaults[name]),
  }));
}
