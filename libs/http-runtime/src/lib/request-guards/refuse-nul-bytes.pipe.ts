import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/**
 * Refuses a path parameter or query value that holds U+0000 (`%00`): PostgreSQL cannot store or compare
 * it in text ("invalid byte sequence for encoding UTF8: 0x00"), so it would otherwise reach a query and
 * answer 500. Global, so that every route of both apps refuses it before its own validation runs; bodies
 * are left to their DTOs, which hold text to what PostgreSQL can take.
 */
@Injectable()
export class RefuseNulBytesPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'param' && metadata.type !== 'query') return value;
    const offending = nulBearingNames(value, metadata.data);
    if (offending.length > 0) {
      throw new BadRequestException(offending.map((name) => `${name} must not contain a NUL byte (%00)`));
    }
    return value;
  }
}

/**
 * The names of the values that contain U+0000: `value` is one parameter named `name` (`@Param('id')`),
 * or, with no name (`@Query()`), an object of parameters, each a string or a repeated parameter's array.
 */
function nulBearingNames(value: unknown, name: string | undefined): string[] {
  if (name !== undefined) return holdsNul(value) ? [name] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value)
    .filter(([, parameter]) => holdsNul(parameter))
    .map(([key]) => key);
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  return Array.isArray(value) && value.some((item) => typeof item === 'string' && item.includes('\0'));
}
