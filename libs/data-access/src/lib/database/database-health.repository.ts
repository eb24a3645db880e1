import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { migrationsAreApplied } from './migration-runner';

/** How long the check outside the pool may take to connect. */
const DIRECT_CHECK_TIMEOUT_MS = 2000;

@Injectable()
export class DatabaseHealthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * True when the database answers a trivial query. When every pool connection is busy (an ingest staging
   * many pages at once), waiting for one says nothing about the server: a connection of the check's own
   * asks it, so that health reports the database down only when it is.
   */
  async isReachable(): Promise<boolean> {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    if (pool.idleCount === 0 && pool.totalCount >= (pool.options.max ?? 10)) return this.answersDirectly();
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  migrationsApplied(): Promise<boolean> {
    return migrationsAreApplied(this.dataSource);
  }

  private async answersDirectly(): Promise<boolean> {
    const { url } = this.dataSource.options as { url: string };
    const client = new Client({ connectionString: url, connectionTimeoutMillis: DIRECT_CHECK_TIMEOUT_MS });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
