import { BadRequestException } from '@nestjs/common';

/**
 * How deeply a request body may nest. No body either app accepts goes past 2 levels; validation
 * (class-transformer, then the ValidationPipe's prototype stripping) recurses once per level and overflows
 * the stack somewhere past 1,000, which would answer 500. 32 leaves room for any plausible DTO.
 */
export const MAX_BODY_DEPTH = 32;

/** Nesting depth of a parsed body, counted without recursion so that the count itself cannot overflow. */
function exceedsDepth(body: unknown, maxDepth: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value: body, depth: 0 }];
  while (pending.length > 0) {
    const { value, depth } = pending.pop() as { value: unknown; depth: number };
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(value)) pending.push({ value: child, depth: depth + 1 });
  }
  return false;
}

/**
 * Refuses a parsed body nested deeper than `maxDepth` with 400, before any route or pipe walks it. The body
 * limit bounds the work to one pass over its values.
 */
export function assertBodyDepth(body: unknown, maxDepth = MAX_BODY_DEPTH): void {
  if (exceedsDepth(body, maxDepth)) {
    throw new BadRequestException(`request body nests deeper than ${maxDepth} levels`);
  }
}
