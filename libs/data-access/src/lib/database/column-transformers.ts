import { toStorableText } from '@customer-pipeline/contracts';
import { ValueTransformer } from 'typeorm';

/** pg returns BIGINT and DECIMAL as text to be safe; our ids and DECIMAL(15,2) balances fit a JS number exactly. */
export const numericAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

function toStorableJson(value: unknown): unknown {
  if (typeof value === 'string') return toStorableText(value);
  if (Array.isArray(value)) return value.map(toStorableJson);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [toStorableText(key), toStorableJson(item)]),
  );
}

/**
 * For text that comes straight from a source, unchecked: PostgreSQL refuses U+0000 in text and JSONB, and
 * an unpaired surrogate in JSONB, and one such character would fail the whole statement that writes it.
 * They are written as U+FFFD instead, in keys as in values.
 */
export const storableText: ValueTransformer = {
  to: (value: unknown) => (typeof value === 'string' ? toStorableText(value) : value),
  from: (value: unknown) => value,
};

/** `storableText` for every string of a JSON value, object keys included. */
export const storableJson: ValueTransformer = {
  to: toStorableJson,
  from: (value: unknown) => value,
};
