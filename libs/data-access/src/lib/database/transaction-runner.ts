import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** A transaction held open across awaits, for work that spans many statements (a run's merge). */
export interface OpenTransaction {
  manager: EntityManager;
  commit(): Promise<void>;
  /** Rolls back and releases the connection; never throws, since it runs on paths that already failed. */
  rollback(): Promise<void>;
}

/**
 * Transactions for work that writes several tables at once. Each repository writes its own table, given the
 * transaction's manager; what belongs together is decided by the caller, which opens the transaction here.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async begin(): Promise<OpenTransaction> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
    } catch (error) {
      await runner.release();
      throw error;
    }
    return {
      manager: runner.manager,
      commit: async () => {
        try {
          await runner.commitTransaction();
        } finally {
          await runner.release();
        }
      },
      rollback: async () => {
        // Rolling back a connection the server already cut fails too: the server has rolled it back.
        await runner.rollbackTransaction().catch((error: Error) => {
          this.logger.warn({ error: error.message }, 'rollback failed; the server drops the transaction');
        });
        await runner.release().catch((error: Error) => {
          this.logger.warn({ error: error.message }, 'releasing a connection failed');
        });
      },
    };
  }
}
