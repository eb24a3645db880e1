import { describeRules } from './compiled-validator';
import { CustomerDto } from './customer.dto';
import { checkCustomerRecord, customerRuleOf } from './customer-record.validator';

const VALID = {
  customer_id: 'CUST001',
  first_name: 'Margaret',
  last_name: 'Whitfield',
  email: 'margaret.whitfield@example.com',
};

describe('customerRuleOf', () => {
  it('names the rule behind each message the checker gives', () => {
    const broken = [
      { ...VALID, email: 'no-at-sign' },
      { ...VALID, first_name: 'x'.repeat(101) },
      { ...VALID, first_name: '' },
      { ...VALID, account_balance: 1.234 },
      { ...VALID, account_balance: '12' },
      { ...VALID, date_of_birth: '2023-02-29' },
      { ...VALID, created_at: 'yesterday' },
      { ...VALID, last_name: 'a\u0000b' },
      ['not', 'an', 'object'],
    ];
    const rules = broken.flatMap((record) => {
      const check = checkCustomerRecord(record);
      if (check.valid) throw new Error(`${JSON.stringify(record)} passed`);
      return check.errors.flatMap((e) => e.messages.map((message) => customerRuleOf(e.field, message)));
    });
    expect(rules.sort()).toEqual(
      [
        'isEmail',
        'codePointLength',
        'codePointLength',
        'maxDecimalPlaces',
        'isNumber',
        'min',
        'max',
        'isPastCalendarDate',
        'isIsoTimestamp',
        'isStorableText',
        'isObject',
      ].sort(),
    );
  });

  it('knows no rule for a message the contract does not give', () => {
    expect(customerRuleOf('email', 'email must be a valid address')).toBeUndefined();
    expect(customerRuleOf('phone', 'email must be an email')).toBeUndefined();
  });

  it('can tell the rules of one field apart by their messages', () => {
    const rules = describeRules(CustomerDto);
    const keys = rules.map((r) => `${r.field}: ${r.message}`);
    expect(new Set(keys).size).toBe(keys.length);
    const byMessage = (a: { message: string }, b: { message: string }) => a.message.localeCompare(b.message);
    expect(rules.filter((r) => r.field === 'first_name').sort(byMessage)).toEqual(
      [
        { field: 'first_name', rule: 'isString', message: 'first_name must be a string' },
        {
          field: 'first_name',
          rule: 'codePointLength',
          message: 'first_name must be longer than or equal to 1 characters',
        },
        {
          field: 'first_name',
          rule: 'codePointLength',
          message: 'first_name must be shorter than or equal to 100 characters',
        },
        {
          field: 'first_name',
          rule: 'isStorableText',
          message: 'first_name must not contain U+0000 (NUL) or an unpaired UTF-16 surrogate',
        },
      ].sort(byMessage),
    );
  });
});
