/** Source-shaped customers for scripted sources; valid unless a test breaks them on purpose. */
export function sourceCustomer(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = `CUST${String(n).padStart(3, '0')}`;
  return {
    customer_id: id,
    first_name: `First${n}`,
    last_name: `Last${n}`,
    email: `customer${n}@example.com`,
    phone: n % 3 === 0 ? null : `+1-555-010-${String(n).padStart(4, '0')}`,
    address: n % 4 === 0 ? null : `${n} Main Street`,
    date_of_birth: '1990-05-17',
    account_balance: n * 10.5,
    created_at: '2024-01-15T10:30:00.000Z',
    ...overrides,
  };
}

export function sourceCustomers(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => sourceCustomer(i + 1));
}
