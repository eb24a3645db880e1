import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CustomerDto } from './customer.dto';
import { CustomerCheck, checkCustomerRecord } from './customer-record.validator';

const valid = {
  customer_id: 'CUST001',
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada.lovelace@example.com',
  phone: '+44 20 7946 0018',
  address: '12 St James Square, London',
  date_of_birth: '1985-12-10',
  account_balance: 1520.75,
  created_at: '2024-01-15T10:30:00.000Z',
  updated_at: '2025-03-01T09:00:00.000Z',
};

function errorFields(check: CustomerCheck): string[] {
  return check.valid ? [] : check.errors.map((error) => error.field);
}

function fieldsFailing(overrides: Record<string, unknown>): string[] {
  return errorFields(checkCustomerRecord({ ...valid, ...overrides }));
}

describe('checkCustomerRecord', () => {
  it('accepts a complete record and returns it typed', () => {
    expect(checkCustomerRecord(valid)).toEqual({ valid: true, customer: valid });
  });

  it('fills absent optional fields with null and treats null as absent', () => {
    const { phone: _p, address: _a, date_of_birth: _d, updated_at: _u, ...rest } = valid;
    const check = checkCustomerRecord({ ...rest, account_balance: null, created_at: null });
    expect(check).toEqual({
      valid: true,
      customer: {
        ...rest,
        phone: null,
        address: null,
        date_of_birth: null,
        account_balance: null,
        created_at: null,
        updated_at: null,
      },
    });
  });

  it('drops unknown fields instead of refusing the record', () => {
    const check = checkCustomerRecord({ ...valid, loyalty_tier: 'gold', __proto__x: 1 });
    expect(check.valid).toBe(true);
    expect(check.valid && Object.keys(check.customer)).toEqual(Object.keys(valid));
  });

  it.each([null, 'CUST001', 42, [valid]])('refuses a record that is not an object: %p', (raw) => {
    expect(errorFields(checkCustomerRecord(raw))).toEqual(['(record)']);
  });

  describe.each(['customer_id', 'first_name', 'last_name', 'email'])('required field %s', (field) => {
    it('is refused when missing', () => {
      const raw: Record<string, unknown> = { ...valid };
      delete raw[field];
      expect(errorFields(checkCustomerRecord(raw))).toEqual([field]);
    });

    it('is refused when null or empty', () => {
      expect(fieldsFailing({ [field]: null })).toEqual([field]);
      expect(fieldsFailing({ [field]: '' })).toEqual([field]);
    });
  });

  it('bounds customer_id to 50 characters and names to 100', () => {
    expect(fieldsFailing({ customer_id: 'C'.repeat(50) })).toEqual([]);
    expect(fieldsFailing({ customer_id: 'C'.repeat(51) })).toEqual(['customer_id']);
    expect(fieldsFailing({ first_name: 'A'.repeat(100), last_name: 'B'.repeat(100) })).toEqual([]);
    expect(fieldsFailing({ first_name: 'A'.repeat(101), last_name: 'B'.repeat(101) })).toEqual([
      'first_name',
      'last_name',
    ]);
  });

  describe('text that PostgreSQL must be able to store', () => {
    it('counts lengths in code points, as VARCHAR(n) does, not in graphemes', () => {
      // '❤️' is U+2764 U+FE0F: one grapheme, two code points; '😀' is one code point in two UTF-16 units.
      expect(fieldsFailing({ first_name: '❤️'.repeat(50), last_name: '😀'.repeat(100) })).toEqual([]);
      expect(fieldsFailing({ first_name: '❤️'.repeat(60), last_name: '😀'.repeat(101) })).toEqual([
        'first_name',
        'last_name',
      ]);
      expect(fieldsFailing({ customer_id: '❤️'.repeat(26), phone: '☎️'.repeat(11) })).toEqual([
        'customer_id',
        'phone',
      ]);
    });

    it('says how long the field may be, in the words class-validator uses', () => {
      const check = checkCustomerRecord({ ...valid, first_name: '❤️'.repeat(60) });
      expect(!check.valid && check.errors).toEqual([
        { field: 'first_name', messages: ['first_name must be shorter than or equal to 100 characters'] },
      ]);
    });

    it.each([
      ['U+0000', 'Ada\u0000'],
      ['a lone high surrogate', 'Ada\uD83D'],
      ['a lone low surrogate', '\uDE00Ada'],
      ['two high surrogates', 'Ada\uD83D\uD83D'],
    ])('refuses %s in any text field, naming the field', (_label, text) => {
      for (const field of ['customer_id', 'first_name', 'last_name', 'phone', 'address']) {
        const check = checkCustomerRecord({ ...valid, [field]: text });
        expect(!check.valid && check.errors).toEqual([
          { field, messages: [`${field} must not contain U+0000 (NUL) or an unpaired UTF-16 surrogate`] },
        ]);
      }
      expect(fieldsFailing({ email: `ada@exam${text}ple.com` })).toEqual(['email']);
    });
  });

  it('accepts unicode names', () => {
    expect(fieldsFailing({ first_name: 'Zoë', last_name: 'Ñúñez-Øberg' })).toEqual([]);
    expect(fieldsFailing({ first_name: '美咲', last_name: '山田' })).toEqual([]);
    expect(fieldsFailing({ first_name: 'Αλέξανδρος', last_name: 'Παπαδόπουλος' })).toEqual([]);
  });

  describe('email', () => {
    it.each([
      'ada+newsletter@example.com',
      'josé.garcía@example.com',
      'user@exämple.de',
      'O.Brien@Example.CO.UK',
    ])('accepts %s', (email) => {
      expect(fieldsFailing({ email })).toEqual([]);
    });

    it.each(['not-an-email', 'ada@', '@example.com', 'ada lovelace@example.com', 'ada@example'])(
      'refuses %s',
      (email) => {
        expect(fieldsFailing({ email })).toEqual(['email']);
      },
    );

    it('refuses an address longer than 255 characters', () => {
      const long = `${'a'.repeat(60)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(20)}.com`;
      expect(long.length).toBeGreaterThan(255);
      expect(fieldsFailing({ email: long })).toContain('email');
    });
  });

  it('bounds phone to 20 characters and requires text', () => {
    expect(fieldsFailing({ phone: '+1 (555) 010-0199 x1' })).toEqual([]);
    expect(fieldsFailing({ phone: '+1 (555) 010-0199 x12' })).toEqual(['phone']);
    expect(fieldsFailing({ phone: 5550100 })).toEqual(['phone']);
  });

  it('accepts a long address', () => {
    expect(fieldsFailing({ address: 'Flat 4, '.repeat(200) })).toEqual([]);
  });

  describe('date_of_birth', () => {
    it.each(['2000-02-29', '2024-02-29', '1900-01-01', '1999-12-31'])('accepts %s', (date_of_birth) => {
      expect(fieldsFailing({ date_of_birth })).toEqual([]);
    });

    it.each([
      ['29 February of a non-leap year', '2023-02-29'],
      ['29 February of a century non-leap year', '1900-02-29'],
      ['31 April', '2001-04-31'],
      ['month 13', '2001-13-01'],
      ['day 0', '2001-01-00'],
      ['another format', '10/12/1985'],
      ['a timestamp', '1985-12-10T00:00:00Z'],
      ['no zero padding', '1985-1-5'],
    ])('refuses %s', (_label, date_of_birth) => {
      expect(fieldsFailing({ date_of_birth })).toEqual(['date_of_birth']);
    });

    it('refuses a date in the future and accepts today', () => {
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const today = new Date().toISOString().slice(0, 10);
      expect(fieldsFailing({ date_of_birth: tomorrow })).toEqual(['date_of_birth']);
      expect(fieldsFailing({ date_of_birth: today })).toEqual([]);
    });
  });

  describe('account_balance', () => {
    it.each([0, -250.5, 1520.75, 9_999_999_999_999.99, -9_999_999_999_999.99])(
      'accepts %p',
      (account_balance) => {
        expect(fieldsFailing({ account_balance })).toEqual([]);
      },
    );

    it.each([
      ['three decimals', 10.125],
      // Printed in exponent form ('1e-7'), which class-validator's decimal count threw a TypeError on.
      ['a tiny fraction', 1e-7],
      ['the smallest double', Number.MIN_VALUE],
      ['a numeric string', '1520.75'],
      ['10^13', 1e13],
      ['-10^13', -1e13],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['a boolean', true],
    ])('refuses %s', (_label, account_balance) => {
      expect(fieldsFailing({ account_balance })).toEqual(['account_balance']);
    });
  });

  describe.each(['created_at', 'updated_at'] as const)('%s', (field) => {
    it.each([
      ['2024-01-15T10:30:00Z', '2024-01-15T10:30:00.000Z'],
      ['2024-01-15T10:30:00.123Z', '2024-01-15T10:30:00.123Z'],
      ['2024-01-15T12:30:00+02:00', '2024-01-15T10:30:00.000Z'],
      ['2024-01-15T10:30:00', '2024-01-15T10:30:00.000Z'],
      ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'],
    ])('accepts %s and normalizes it to UTC', (timestamp, normalized) => {
      const check = checkCustomerRecord({ ...valid, [field]: timestamp });
      expect(check.valid && check.customer[field]).toBe(normalized);
    });

    it.each(['2024-01-15', '2023-02-29T10:00:00Z', '2024-01-15T25:00:00Z', 'yesterday', 1705314600000])(
      'refuses %p',
      (timestamp) => {
        expect(fieldsFailing({ [field]: timestamp })).toEqual([field]);
      },
    );
  });

  it('reports every bad field with messages that name it', () => {
    const check = checkCustomerRecord({ customer_id: '', email: 'nope', account_balance: '12' });
    expect(check.valid).toBe(false);
    if (check.valid) return;
    expect(check.errors.map((e) => e.field)).toEqual([
      'customer_id',
      'first_name',
      'last_name',
      'email',
      'account_balance',
    ]);
    for (const error of check.errors) {
      expect(error.messages.length).toBeGreaterThan(0);
      for (const message of error.messages) expect(message).toContain(error.field);
    }
  });

  it('reaches the same verdict and messages as class-validator itself', () => {
    const cases: Record<string, unknown>[] = [
      valid,
      { ...valid, email: 'x', account_balance: 1.005, date_of_birth: '2023-02-29' },
      { ...valid, customer_id: 'C'.repeat(51), phone: 'p'.repeat(21), created_at: 'soon', updated_at: 0 },
      { customer_id: 7, first_name: null },
      { ...valid, first_name: '❤️'.repeat(60), last_name: '', address: 'x\u0000', phone: 'p\uDC00' },
      {},
    ];
    for (const raw of cases) {
      const reference = validateSync(plainToInstance(CustomerDto, raw)).map((error) => ({
        field: error.property,
        messages: Object.values(error.constraints ?? {}).sort(),
      }));
      const check = checkCustomerRecord(raw);
      const ours = check.valid
        ? []
        : check.errors.map((e) => ({ field: e.field, messages: [...e.messages].sort() }));
      expect(ours).toEqual(reference);
    }
  });
});
