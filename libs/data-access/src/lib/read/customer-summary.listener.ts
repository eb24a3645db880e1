import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { CUSTOMER_SUMMARY_CHANNEL } from '../customers/customer-read-model.repository';
import { READ_DATABASE_OPTIONS, ReadDatabaseOptions } from './read-database';

/** The exact number of stored customers, and the version of the data, which every changing run moves. */
export interface CustomerSummary {
  total: number;
  version: number;
}

const RECONNECT_MS = 1000;

/**
 * This process's knowledge of the current customer summary without asking the database: one connection of
 * its own LISTENs on the channel the merge notifies at commit, so a run committed by any pipeline process
 * is heard within milliseconds. While that connection is down nothing is known (`current()` is undefined)
 * and readers ask the database instead, so a lost connection can delay caching but never serve stale data.
 * The one window left is between a commit and its notification arriving here, normally under a millisecond.
 */
@Injectable()
export class CustomerSummaryListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CustomerSummaryListener.name);
  private client?: Client;
  /** The newest summary read or heard on the current connection. */
  private newest?: CustomerSummary;
  /** Whether the current connection listens and has read the summary: only then is `newest` current. */
  private listening = false;
  private closed = false;
  private retry?: NodeJS.Timeout;

  constructor(@Inject(READ_DATABASE_OPTIONS) private readonly options: ReadDatabaseOptions) {}

  current(): CustomerSummary | undefined {
    return this.listening ? this.newest : undefined;
  }

  /** After every module's init, so after the migrations that create the summary. */
  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.listening = false;
    await this.client?.end().catch(() => undefined);
  }

  /** A notification may overtake the first read, and a version never goes back. */
  private keepNewest(summary: CustomerSummary): void {
    if (!this.newest || summary.version > this.newest.version) this.newest = summary;
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new Client({
      connectionString: this.options.url,
      application_name: 'customer-pipeline-listen',
    });
    this.client = client;
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.listening = false;
      this.newest = undefined;
      if (this.closed) return;
      if (error) this.logger.warn({ error: error.message }, 'customer summary listener lost; reconnecting');
      client.end().catch(() => undefined);
      this.retry = setTimeout(() => void this.listen(), RECONNECT_MS);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel !== CUSTOMER_SUMMARY_CHANNEL || message.payload === undefined) return;
      this.keepNewest(JSON.parse(message.payload) as CustomerSummary);
    });
    try {
      await client.connect();
      // Listening first, then reading: a commit in between is heard, not missed.
      await client.query(`LISTEN ${CUSTOMER_SUMMARY_CHANNEL}`);
      const [row] = (
        await client.query<CustomerSummary>(
          'SELECT total::float8 AS total, version::float8 AS version FROM customer_summary',
        )
      ).rows;
      if (this.client !== client || !row) return;
      this.keepNewest(row);
      this.listening = true;
    } catch (error) {
      lost(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
