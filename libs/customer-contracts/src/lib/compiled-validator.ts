import { ValidationArguments, ValidationTypes, getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

export interface FieldError {
  /** The offending field, or `(record)` when the record as a whole is not an object. */
  field: string;
  messages: string[];
}

interface CompiledConstraint {
  /** The constraint's name in class-validator (`isEmail`, `min`, `codePointLength`): the rule it checks. */
  name: string;
  metadata: ValidationMetadata;
  validate(value: unknown, args: ValidationArguments): boolean;
  defaultMessage(args: ValidationArguments): string;
}

interface CompiledProperty {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  constraints: CompiledConstraint[];
}

const SUPPORTED = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
]);

function messageFor(constraint: CompiledConstraint, args: ValidationArguments): string {
  const template = constraint.metadata.message;
  let message = typeof template === 'function' ? template(args) : template || constraint.defaultMessage(args);
  (args.constraints ?? []).forEach((value: unknown, index: number) => {
    message = message
      .split(`$constraint${index + 1}`)
      .join(Array.isArray(value) ? value.join(', ') : String(value));
  });
  if (['string', 'boolean', 'number'].includes(typeof args.value)) {
    message = message.split('$value').join(String(args.value));
  }
  return message.split('$property').join(args.property).split('$target').join(args.targetName);
}

function compileProperty(name: string, metadatas: ValidationMetadata[]): CompiledProperty {
  const storage = getMetadataStorage();
  const unsupported = metadatas.find((m) => !SUPPORTED.has(m.type) || m.each);
  if (unsupported)
    throw new Error(`compileValidator: ${name} uses ${unsupported.type}, which is not supported`);
  return {
    name,
    conditions: metadatas
      .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
      .map((m) => m.constraints[0]),
    constraints: metadatas
      .filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION)
      .flatMap((metadata) =>
        storage.getTargetValidatorConstraints(metadata.constraintCls).map((constraint) => {
          if (constraint.async) throw new Error(`compileValidator: ${name} has an async constraint`);
          const compiled: CompiledConstraint = {
            name: constraint.name,
            metadata,
            validate: (value, args) => constraint.instance.validate(value, args) as boolean,
            defaultMessage: (args) => constraint.instance.defaultMessage?.(args) ?? '',
          };
          return compiled;
        }),
      ),
  };
}

function compileProperties(target: new () => object): CompiledProperty[] {
  const storage = getMetadataStorage();
  const grouped = storage.groupByPropertyName(storage.getTargetValidationMetadatas(target, '', true, false));
  return Object.entries(grouped).map(([name, metadatas]) => compileProperty(name, metadatas));
}

/** One rule of a DTO: the field, the constraint's name, and a message a value that breaks it gets. */
export interface FieldRule {
  field: string;
  rule: string;
  message: string;
}

/**
 * Values to draw each rule's messages out with. A rule's message may depend on the value it refused (a
 * length rule says "shorter" of a long text and "longer" of a short one), so each rule is asked with an
 * absent, an empty, a very long and a very large value.
 */
const MESSAGE_PROBES: unknown[] = [undefined, '', 'x'.repeat(100_000), Number.MAX_VALUE];

/**
 * Every rule of a flat DTO with each message it gives. A stored failure names its messages, not its rules;
 * no rule of the contract quotes the value it refused, so a message read back names its rule, in rows
 * written long ago too.
 */
export function describeRules(target: new () => object): FieldRule[] {
  return compileProperties(target).flatMap((property) =>
    property.constraints.flatMap((constraint) => {
      const messages = MESSAGE_PROBES.map((value) =>
        messageFor(constraint, {
          targetName: target.name,
          property: property.name,
          object: {},
          value,
          constraints: constraint.metadata.constraints,
        }),
      );
      return [...new Set(messages)].map((message) => ({
        field: property.name,
        rule: constraint.name,
        message,
      }));
    }),
  );
}

/**
 * Turns the class-validator decorators of a flat DTO into one plain function. class-validator's own
 * `validateSync` spends about 70 µs per call re-reading its metadata; the compiled form reads it once and
 * runs the very same constraint objects, so the rules stay declared in one place (the DTO) while the
 * ingest path can check a million records without spending minutes on bookkeeping.
 */
export function compileValidator(
  target: new () => object,
): (object: Record<string, unknown>) => FieldError[] {
  const properties = compileProperties(target);

  // One arguments object per constraint, refilled per call: validation is synchronous, and allocating a
  // fresh one for every field of every record was a large share of the cost.
  const checks = properties.map((property) => ({
    property,
    constraints: property.constraints.map((constraint) => ({
      constraint,
      args: {
        targetName: target.name,
        property: property.name,
        object: {},
        value: undefined,
        constraints: constraint.metadata.constraints,
      } as ValidationArguments,
    })),
  }));

  return (object) => {
    let errors: FieldError[] | undefined;
    for (const { property, constraints } of checks) {
      const value = object[property.name];
      if (!property.conditions.every((condition) => condition(object, value))) continue;
      let messages: string[] | undefined;
      for (const { constraint, args } of constraints) {
        args.object = object;
        args.value = value;
        if (constraint.validate(value, args)) continue;
        (messages ??= []).push(messageFor(constraint, { ...args }));
      }
      if (messages) (errors ??= []).push({ field: property.name, messages });
    }
    return errors ?? NO_ERRORS;
  };
}

const NO_ERRORS: FieldError[] = [];
