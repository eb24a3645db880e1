import { FieldError, compileValidator, describeRules } from './compiled-validator';
import { CustomerDto } from './customer.dto';
import { isEvidentlyValidCustomer } from './customer-record.fast-check';
import { normalizeIsoTimestamp } from './customer-rules';

/** A validated customer with every optional field present, `null` where the source had none. */
export interface CustomerRecord {
  customer_id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  address: string | null;
  date_of_birth: string | null;
  account_balance: number | null;
  created_at: string | null;
  /**
   * Always set by `checkCustomerRecord` (null when the source had none); optional in the type only because
   * records built by hand before sources sent it (test fixtures) do not name it.
   */
  updated_at?: string | null;
}

export type CustomerCheck =
  { valid: true; customer: CustomerRecord } | { valid: false; errors: FieldError[] };

const NOT_AN_OBJECT: FieldError = { field: '(record)', messages: ['record must be a JSON object'] };

let validateCustomer: ReturnType<typeof compileValidator> | undefined;

function toRecord(dto: Record<string, unknown> & CustomerDto): CustomerRecord {
  return {
    customer_id: dto.customer_id,
    first_name: dto.first_name,
    last_name: dto.last_name,
    email: dto.email,
    phone: dto.phone ?? null,
    address: dto.address ?? null,
    date_of_birth: dto.date_of_birth ?? null,
    account_balance: dto.account_balance ?? null,
    created_at: dto.created_at == null ? null : normalizeIsoTimestamp(dto.created_at),
    updated_at: dto.updated_at == null ? null : normalizeIsoTimestamp(dto.updated_at),
  };
}

/**
 * Checks one raw record from a source against the customer contract. Unknown fields are dropped rather
 * than refused, so that a source adding a column does not quarantine every record. Values are never
 * coerced: a numeric string where a number belongs is an error.
 */
export function checkCustomerRecord(raw: unknown): CustomerCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { valid: false, errors: [NOT_AN_OBJECT] };
  }
  const record = raw as Record<string, unknown> & CustomerDto;
  if (isEvidentlyValidCustomer(record)) return { valid: true, customer: toRecord(record) };
  validateCustomer ??= compileValidator(CustomerDto);
  const errors = validateCustomer(record);
  if (errors.length > 0) return { valid: false, errors };
  return { valid: true, customer: toRecord(record) };
}

let customerRules: Map<string, string> | undefined;

/**
 * The rule of the customer contract that gives `field` this message (`isEmailAddress`, `codePointLength`),
 * or undefined for a message no rule of this contract gives (one an older contract wrote).
 */
export function customerRuleOf(field: string, message: string): string | undefined {
  customerRules ??= new Map(
    [
      ...describeRules(CustomerDto),
      { field: NOT_AN_OBJECT.field, rule: 'isObject', message: NOT_AN_OBJECT.messages[0] },
    ].map((r) => [`${r.field}\n${r.message}`, r.rule]),
  );
  return customerRules.get(`${field}\n${message}`);
}
