import type { Type } from '@nestjs/common';
import { SchemaObject, getSchemaPath } from '@nestjs/swagger';

/**
 * The schema of a property that holds a `model` or null, valid OpenAPI 3.0. What `@ApiProperty({ type,
 * nullable: true })` writes, `nullable` beside `allOf: [$ref]`, refuses null: `nullable` only widens a `type`
 * in its own schema, and the referenced schema is an object. So the null is a second alternative of its own.
 * The model must be registered (`@ApiExtraModels`) by the class that uses this.
 */
export function nullableObject(model: Type): Required<Pick<SchemaObject, 'oneOf'>> {
  return { oneOf: [{ $ref: getSchemaPath(model) }, { type: 'object', nullable: true, enum: [null] }] };
}
