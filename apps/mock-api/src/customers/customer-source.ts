import type { CustomerRecord } from '@customer-pipeline/contracts';

export type CustomerSourceKind = 'fixture' | 'generated';

/**
 * A customer as the API serves it. Usually a valid `CustomerRecord`; with `MOCK_INVALID_RATE`, some generated
 * customers carry one field that breaks the contract, and the only such field whose type changes is a balance
 * sent as a numeric string.
 */
export type ServedCustomer = Omit<CustomerRecord, 'account_balance'> & {
  account_balance: number | string | null;
};

/** Customers in one order: how many there are, and any slice of them. */
export interface CustomerListing {
  readonly total: number;

  /** Up to `limit` customers starting at the 0-based `offset`; empty past the end. */
  slice(offset: number, limit: number): ServedCustomer[];
}

/**
 * Where the mock API's customers come from. As a listing, customers are ordered by `customer_id` (plain
 * code-unit order), and that order is the paging order. Also the injection token: controllers ask for
 * `CustomerSource`.
 */
export abstract class CustomerSource implements CustomerListing {
  abstract readonly kind: CustomerSourceKind;

  /** The seed that names a generated dataset; null for sources that are not generated. */
  abstract readonly seed: number | null;

  /** How many customers the source holds. */
  abstract readonly total: number;

  abstract slice(offset: number, limit: number): ServedCustomer[];

  /**
   * The customers whose `updated_at` is `since` (ms since the epoch) or later, ordered by `updated_at` and,
   * among equal ones, by `customer_id`: the listing an incremental client pages through.
   */
  abstract updatedSince(since: number): CustomerListing;

  abstract findById(customerId: string): ServedCustomer | undefined;
}
