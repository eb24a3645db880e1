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

  describe('MOCK_REVISION with MOCK_CHANGE_RATE, MOCK_DELETE_RATE, MOCK_RESTORE_RATE and MOCK_ADD_RATE', () => {
    const RATES = {
      MOCK_CHANGE_RATE: '0.2',
      MOCK_DELETE_RATE: '0.1',
      MOCK_RESTORE_RATE: '0.3',
      MOCK_ADD_RATE: '0.02',
    };
    /** Every customer of revisions 0 to 4, by id, read page by page. */
    let revisions: Map<string, ServedCustomer>[];
    /** Revision 4's app, kept for the reads by id and by updated_since. */
    let latest: INestApplication;

    const byId = (customers: ServedCustomer[]) =>
      new Map(customers.map((customer) => [customer.customer_id, customer]));
    /** Revision `revision`'s instants: day `revision` after 2025-01-01, at 00:00 to 03:00 UTC. */
    const instantsOf = (revision: number) =>
      [0, 1, 2, 3].map((hour) => new Date(Date.UTC(2025, 0, 1 + revision, hour)).toISOString());

    beforeAll(async () => {
      revisions = [];
      for (let revision = 0; revision <= 4; revision++) {
        const app = await createMockApiTestApp({
          MOCK_CUSTOMERS: '500',
          MOCK_SEED: '42',
          MOCK_REVISION: String(revision),
          ...RATES,
          LOG_LEVEL: 'silent',
        });
        revisions.push(byId(await allCustomers(app)));
        if (revision === 4) latest = app;
        else await app.close();
      }
    });

    afterAll(() => latest?.close());

    it.each([1, 2, 3, 4])(
      'serve revision %i as the one before plus its changes, deletes, restores and additions',
      (revision) => {
        const [before, after] = [revisions[revision - 1], revisions[revision]];
        const instants = instantsOf(revision);
        const seenBefore = (id: string) =>
          revisions
            .slice(0, revision)
            .findLast((served) => served.has(id))
            ?.get(id);
        const what = [...after.values()].map((customer) => {
          const previous = before.get(customer.customer_id);
          if (JSON.stringify(customer) === JSON.stringify(previous)) return 'kept';
          expect(instants).toContain(customer.updated_at);
          expect(checkCustomerRecord(customer).valid).toBe(true);
          const earlier = seenBefore(customer.customer_id);
          if (!earlier) return 'added';
          if (!previous) {
            // Restored as it was when deleted, updated now.
            expect(customer).toEqual({ ...earlier, updated_at: customer.updated_at });
            return 'restored';
          }
          expect(customer.account_balance).not.toBe(previous.account_balance);
          expect(customer.address).not.toBe(previous.address);
          expect({ ...customer, account_balance: 0, address: '', updated_at: '' }).toEqual({
            ...previous,
            account_balance: 0,
            address: '',
            updated_at: '',
          });
          return 'changed';
        });
        const deleted = [...before.keys()].filter((id) => !after.has(id));
        const count = (kind: string) => what.filter((each) => each === kind).length;
        expect(count('added')).toBe(10);
        expect(count('changed')).toBeGreaterThan(0.1 * before.size);
        expect(deleted.length).toBeGreaterThan(0.05 * before.size);
        if (revision > 1) expect(count('restored')).toBeGreaterThan(0);
        // The added customers continue the ids after the last one of the revision before.
        const lastBefore = 500 + (revision - 1) * 10;
        const added = [...after.keys()].filter((id) => Number(id.slice(4)) > lastBefore);
        expect(added.length).toBe(10);
      },
    );

    it('serve total as the number of customers present, and page through exactly those', async () => {
      const first = await request(latest.getHttpServer()).get('/api/customers?limit=7').expect(200);
      expect(first.body.total).toBe(revisions[4].size);
      expect(first.body.data).toEqual([...revisions[4].values()].slice(0, 7));
    });

    it('answer 404 for a deleted customer, 200 for a restored one', async () => {
      const deleted = [...revisions[3].keys()].filter((id) => !revisions[4].has(id));
      const restored = [...revisions[4].keys()].filter((id) => revisions[2].has(id) && !revisions[3].has(id));
      expect(restored.length).toBeGreaterThan(0);
      for (const id of deleted.slice(0, 5))
        await request(latest.getHttpServer()).get(`/api/customers/${id}`).expect(404);
      for (const id of restored.slice(0, 5)) {
        const one = await request(latest.getHttpServer()).get(`/api/customers/${id}`).expect(200);
        expect(one.body).toEqual(revisions[4].get(id));
      }
    });

    it('list from the first instant of a revision exactly what it changed, restored or added, by updated_at', async () => {
      const since = instantsOf(4)[0];
      const listed: ServedCustomer[] = [];
      for (let page = 1; ; page++) {
        const response = await request(latest.getHttpServer())
          .get(`/api/customers?updated_since=${since}&limit=9&page=${page}`)
          .expect(200);
        if (response.body.data.length === 0) break;
        expect(response.body.total).toBe(
          [...revisions[4].values()].filter((customer) => (customer.updated_at as string) >= since).length,
        );
        listed.push(...response.body.data);
      }
      const touched = [...revisions[4].values()].filter(
        (customer) => JSON.stringify(customer) !== JSON.stringify(revisions[3].get(customer.customer_id)),
      );
      const ordered = [...touched].sort(
        (left, right) =>
          (left.updated_at as string).localeCompare(right.updated_at as string) ||
          left.customer_id.localeCompare(right.customer_id),
      );
      expect(listed).toEqual(ordered);
      // Ties on purpose: each instant holds many customers.
      expect(new Set(listed.map((customer) => customer.updated_at)).size).toBe(4);
    });

    it('serve the same revision on every start', async () => {
      const again = await start({ MOCK_REVISION: '4', ...RATES });
      expect(JSON.stringify(await allCustomers(again))).toBe(JSON.stringify([...revisions[4].values()]));
    });

    it('serve revision 0 byte for byte at rates that do nothing', async () => {
      const plain = await allCustomers(await start({}));
      const idle = await allCustomers(
        await start({ MOCK_REVISION: '3', MOCK_CHANGE_RATE: '0', MOCK_RESTORE_RATE: '0.5' }),
      );
      expect(idle).toEqual(plain);
    });
  });
});
