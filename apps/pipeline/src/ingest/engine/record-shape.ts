import type { PageShape } from '@customer-pipeline/data-access';

/** The JSON type of a value as a schema would name it. */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

/**
 * The shape of a page's records: for each field, how many records sent it with each JSON type, and one
 * record's id as an example. Records that are not objects have no fields to count.
 */
export function shapeOf(records: unknown[]): PageShape {
  const shape: PageShape = {};
  for (const record of records) {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) continue;
    const id = String((record as { customer_id?: unknown }).customer_id ?? '');
    for (const [field, value] of Object.entries(record)) {
      const types = (shape[field] ??= {});
      const type = jsonTypeOf(value);
      const seen = types[type];
      if (seen) seen[0]++;
      else types[type] = [1, id];
    }
  }
  return shape;
}

/** The ids of a page's records, valid or not: the source has each of these customers. */
export function customerIdsOf(records: unknown[]): string[] {
  const ids: string[] = [];
  for (const record of records) {
    const id = (record as { customer_id?: unknown } | null)?.customer_id;
    if (typeof id === 'string' || typeof id === 'number') ids.push(String(id));
  }
  return ids;
}
