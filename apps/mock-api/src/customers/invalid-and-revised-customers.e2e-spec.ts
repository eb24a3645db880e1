import { INestApplication } from '@nestjs/common';
import { checkCustomerRecord } from '@customer-pipeline/contracts';
import request from 'supertest';
import { createMockApiTestApp } from '../../test/mock-api-test-app';

interface ServedCustomer {
  customer_id: string;
  [field: string]: unknown;
}

/** Every customer of the app, read page by page as a client would. */
async function allCustomers(app: INestApplication): Promise<ServedCustomer[]> {
  const customers: ServedCustomer[] = [];
  for (let page = 1; ; page++) {
    const response = await request(app.getHttpServer())
      .get(`/api/customers?page=${page}&limit=100`)
      .expect(200);
    if (response.body.data.length === 0) return customers;
    customers.push(...response.body.data);
  }
}

describe('generated customers that break the contract or have changed', () => {
  const apps: INestApplication[] = [];
  const start = async (environment: Record<string, string>) => {
    const app = await createMockApiTestApp({ MOCK_CUSTOMERS: '500', MOCK_SEED: '42', ...environment });
    apps.push(app);
    return app;
  };

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  describe('MOCK_INVALID_RATE', () => {
    it('serves about that share of customers with exactly one field that fails the contract', async () => {
      const served = await allCustomers(await start({ MOCK_INVALID_RATE: '0.2' }));
      expect(served).toHaveLength(500);
      const checks = served.map((customer) => checkCustomerRecord(customer));
      const invalid = checks.flatMap((check) => (check.valid ? [] : [check.errors]));
      expect(invalid.length / served.length).toBeGreaterThan(0.15);
      expect(invalid.length / served.length).toBeLessThan(0.25);
      expect(invalid.every((errors) => errors.length === 1)).toBe(true);
      expect(new Set(invalid.map(([error]) => error.field)).size).toBeGreaterThan(3);
    });

    it('serves the same broken records on every request, app and route', async () => {
      const first = await allCustomers(await start({ MOCK_INVALID_RATE: '0.2' }));
      const again = await start({ MOCK_INVALID_RATE: '0.2' });
      expect(JSON.stringify(await allCustomers(again))).toBe(JSON.stringify(first));
      const broken = first.filter((customer) => !checkCustomerRecord(customer).valid).slice(0, 5);
      for (const customer of broken) {
        const one = await request(again.getHttpServer())
          .get(`/api/customers/${customer.customer_id}`)
          .expect(200);
        expect(one.body).toEqual(customer);
      }
    });

    it('leaves every other customer as the plain dataset serves it', async () => {
      const plain = await allCustomers(await start({}));
      const broken = await allCustomers(await start({ MOCK_INVALID_RATE: '0.2' }));
      const unbroken = broken.filter((customer) => checkCustomerRecord(customer).valid);
      expect(unbroken.length).toBeGreaterThan(350);
      for (const customer of unbroken)
        expect(customer).toEqual(plain[Number(customer.customer_id.slice(4)) - 1]);
    });
  });

  describe('MOCK_REVISION and MOCK_CHANGE_RATE', () => {
    it('serve about that share of customers with a new balance and address, and the rest unchanged', async () => {
      const original = await allCustomers(await start({}));
      const revised = await allCustomers(await start({ MOCK_REVISION: '1', MOCK_CHANGE_RATE: '0.3' }));
      const changed = revised.filter(
        (customer, position) => JSON.stringify(customer) !== JSON.stringify(original[position]),
      );
      expect(changed.length / revised.length).toBeGreaterThan(0.25);
      expect(changed.length / revised.length).toBeLessThan(0.35);
      for (const customer of changed) {
        const before = original[Number(customer.customer_id.slice(4)) - 1];
        expect({ ...customer, account_balance: before.account_balance, address: before.address }).toEqual(
          before,
        );
        expect(checkCustomerRecord(customer).valid).toBe(true);
      }
    });

    it('serve the same revision on every start, and another one for another revision', async () => {
      const first = await allCustomers(await start({ MOCK_REVISION: '1' }));
      expect(JSON.stringify(await allCustomers(await start({ MOCK_REVISION: '1' })))).toBe(
        JSON.stringify(first),
      );
      expect(JSON.stringify(await allCustomers(await start({ MOCK_REVISION: '2' })))).not.toBe(
        JSON.stringify(first),
      );
    });
  });
});
