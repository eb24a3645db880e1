import { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ResponseObject,
  SecurityRequirementObject,
  SwaggerModule,
  getSchemaPath,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '@customer-pipeline/contracts';
import { errorResponseExample } from './error-response-example';

/** An API key that routes may ask for with `@ApiBearerAuth(name)`. */
export interface ApiKeyScheme {
  /** The security scheme's name in the document. */
  name: string;
  /** What the key is and which setting holds it. */
  description: string;
  /** Whether the key is set. An unset key is no scheme at all: the routes that would need it are open. */
  configured: boolean;
}

export interface OpenApiDocumentOptions {
  title: string;
  description: string;
  version: string;
  /** Every tag the controllers use, with what it groups. */
  tags: readonly { name: string; description: string }[];
  apiKeys?: readonly ApiKeyScheme[];
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function errorResponse(statusCode: number, description: string, message: string): ResponseObject {
  return {
    description,
    content: {
      'application/json': {
        schema: { $ref: getSchemaPath(ErrorResponseDto) },
        example: errorResponseExample(statusCode, message),
      },
    },
  };
}

/** What any route may answer whatever it does: no decorator has to remember them. */
const SHARED_RESPONSES: Record<string, ResponseObject> = {
  '500': errorResponse(
    500,
    'An unexpected error: the body names only the request id, under which the error is logged',
    'Internal server error',
  ),
};

/** What a route that reads a body may answer too. The body of any other method is not read at all. */
const BODY_RESPONSES: Record<string, ResponseObject> = {
  '413': errorResponse(413, 'The request body is larger than the body limit', 'Request body is too large'),
};
const BODY_METHODS: ReadonlySet<string> = new Set(['put', 'post', 'patch']);

function operationsOf(document: OpenAPIObject): { method: string; operation: OperationObject }[] {
  return Object.values(document.paths).flatMap((path) =>
    HTTP_METHODS.flatMap((method) => (path[method] ? [{ method, operation: path[method] }] : [])),
  );
}

/**
 * Keeps an operation's security requirements on configured keys only, once each (a key asked for by the
 * controller and the route is listed twice). An operation left with none is open: it has no `security`,
 * and no 401, which it can no longer answer. A validating proxy or client then calls it without a key.
 */
function keepConfiguredSecurity(operation: OperationObject, configured: ReadonlySet<string>): void {
  if (!operation.security) return;
  const kept = new Map<string, SecurityRequirementObject>();
  for (const requirement of operation.security) {
    if (Object.keys(requirement).every((name) => configured.has(name))) {
      kept.set(JSON.stringify(requirement), requirement);
    }
  }
  if (kept.size > 0) {
    operation.security = [...kept.values()];
    return;
  }
  delete operation.security;
  delete operation.responses['401'];
}

/**
 * Nest writes a parameter's example into its schema; Dredd and Prism take a path parameter's value from
 * the parameter's own `example`, and without it Dredd cannot make a single request.
 */
function liftParameterExamples(operation: OperationObject): void {
  for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
    const schema = parameter.schema as { example?: unknown } | undefined;
    if (parameter.example === undefined && schema?.example !== undefined) parameter.example = schema.example;
  }
}

/**
 * The app's OpenAPI 3.0 document: servers relative to where it is served, the tags described, a bearer
 * scheme for each configured API key (an opaque key, not a JWT), parameter examples where clients look for
 * them, the shared 500 on every operation and 413 on every one that reads a body. Needs only the app's controllers, so a preview-mode app (no database) can produce it.
 */
export function createOpenApiDocument(app: INestApplication, options: OpenApiDocumentOptions): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion(options.version)
    .addServer('/', 'The host that serves this document');
  for (const tag of options.tags) builder.addTag(tag.name, tag.description);
  const configured = (options.apiKeys ?? []).filter((key) => key.configured);
  for (const key of configured) {
    builder.addSecurity(key.name, { type: 'http', scheme: 'bearer', description: key.description });
  }
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [ErrorResponseDto] });
  const configuredNames = new Set(configured.map((key) => key.name));
  for (const { method, operation } of operationsOf(document)) {
    keepConfiguredSecurity(operation, configuredNames);
    liftParameterExamples(operation);
    const shared = BODY_METHODS.has(method) ? { ...SHARED_RESPONSES, ...BODY_RESPONSES } : SHARED_RESPONSES;
    operation.responses = { ...shared, ...operation.responses };
  }
  return document;
}
