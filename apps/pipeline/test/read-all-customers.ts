export interface CustomerListPage {
  data: unknown[];
  total: number;
}

/** Every customer a customers API serves, read page by page at the largest page size. */
export async function readAllCustomers(get: (path: string) => Promise<CustomerListPage>): Promise<unknown[]> {
  const customers: unknown[] = [];
  for (let page = 1; ; page++) {
    const body = await get(`/api/customers?page=${page}&limit=100`);
    customers.push(...body.data);
    if (customers.length >= body.total || body.data.length === 0) return customers;
  }
}

/** Every customer the mock API at `baseUrl` serves. */
export function readAllFromSource(baseUrl: string): Promise<unknown[]> {
  return readAllCustomers((path) =>
    fetch(`${baseUrl}${path}`).then((response) => {
      if (!response.ok) throw new Error(`source answered ${response.status} for ${path}`);
      return response.json() as Promise<CustomerListPage>;
    }),
  );
}
