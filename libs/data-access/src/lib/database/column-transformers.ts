import { ValueTransformer } from 'typeorm';

/** pg returns BIGINT and DECIMAL as text to be safe; our ids and DECIMAL(15,2) balances fit a JS number exactly. */
export const numericAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
