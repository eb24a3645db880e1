import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.0 document a contract check reads. */
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, DocumentedResponse> }>>;
  components?: { schemas?: Record<string, unknown> };
}

interface DocumentedResponse {
  content?: Record<string, { schema?: unknown }>;
}

/** A recorded answer, as supertest gives it: the request it answered, its status, headers and body. */
export interface RecordedAnswer {
  request: { method: string; url: string };
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  responses: Record<string, DocumentedResponse>;
}

/** Schema references in the document point into it; Ajv is given the component schemas under this id. */
const COMPONENTS_ID = 'openapi-components';

/** `#/components/schemas/X` becomes a reference into the schemas registered with Ajv, recursively. */
function retarget(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(retarget);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) =>
      key === '$ref' && typeof value === 'string'
        ? [key, value.replace('#/components/schemas/', `${COMPONENTS_ID}#/definitions/`)]
        : [key, retarget(value)],
    ),
  );
}

function pathPattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

/**
 * Holds live answers to an OpenAPI 3.0 document: each answer's status must be documented for its
 * operation, and its JSON body must validate against the documented schema. Ajv runs in strict mode with
 * OpenAPI's `nullable`, so a schema Ajv cannot read as the document means it (`nullable` without a `type`
 * of its own) fails too. `unexercised` lists what no answer has shown yet, so that document and code
 * cannot drift apart in either direction.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: true, allErrors: true, discriminator: true });
  private readonly operations: Operation[];
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly exercised = new Set<string>();

  constructor(document: OpenApiDocument) {
    addFormats(this.ajv);
    // Annotations OpenAPI adds to JSON Schema; they constrain nothing.
    this.ajv.addVocabulary(['example', 'xml', 'externalDocs']);
    this.ajv.addSchema(
      { $id: COMPONENTS_ID, definitions: retarget(document.components?.schemas ?? {}) },
      COMPONENTS_ID,
    );
    this.operations = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        template,
        pattern: pathPattern(template),
        responses: operation.responses,
      })),
    );
  }

  /** The problems of one answer; none when the document allows it. */
  check(answer: RecordedAnswer): string[] {
    const path = new URL(answer.request.url, 'http://host').pathname;
    const method = answer.request.method.toUpperCase();
    const operation = this.operations.find(
      (candidate) => candidate.method === method && candidate.pattern.test(path),
    );
    if (!operation) return [`${method} ${path} is not in the document`];
    const name = `${method} ${operation.template} ${answer.status}`;
    const documented = operation.responses[String(answer.status)];
    if (!documented) return [`${name} is not documented`];
    this.exercised.add(name);
    const schema = documented.content?.['application/json']?.schema;
    if (schema === undefined) return [];
    const contentType = String(answer.headers['content-type'] ?? '');
    if (!contentType.startsWith('application/json')) return [`${name} answered ${contentType || 'no body'}`];
    const validate = this.validatorFor(name, schema);
    return validate(answer.body)
      ? []
      : (validate.errors ?? []).map((error) => `${name}: body${error.instancePath} ${error.message}`);
  }

  /** Every documented `METHOD path status` that no checked answer has shown. */
  unexercised(): string[] {
    return this.operations
      .flatMap((operation) =>
        Object.keys(operation.responses).map(
          (status) => `${operation.method} ${operation.template} ${status}`,
        ),
      )
      .filter((name) => !this.exercised.has(name));
  }

  private validatorFor(name: string, schema: unknown): ValidateFunction {
    let validate = this.validators.get(name);
    if (!validate) {
      validate = this.ajv.compile(retarget(schema) as object);
      this.validators.set(name, validate);
    }
    return validate;
  }
}
