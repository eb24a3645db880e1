import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { EmailConflict } from '../customers/customer-upsert.repository';
import { IngestFailureEntity } from './ingest-failure.entity';

export type NewIngestFailure = Pick<
  IngestFailureEntity,
  'run_id' | 'page' | 'customer_id' | 'record' | 'errors' | 'reason'
>;

export const EMAIL_CONFLICT_ERRORS = [{ field: 'email', messages: ['email belongs to another customer'] }];

/** `ingest_failures`: the records a run did not apply, kept whole with the reason, for an operator. */
@Injectable()
export class IngestFailureRepository {
  constructor(
    @InjectRepository(IngestFailureEntity) private readonly failures: Repository<IngestFailureEntity>,
  ) {}

  /** Writes a batch of failures in one statement. */
  async addMany(failures: NewIngestFailure[], manager: EntityManager = this.failures.manager): Promise<void> {
    if (failures.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(IngestFailureEntity)
      .values(failures as QueryDeepPartialEntity<IngestFailureEntity>[])
      .execute();
  }

  /**
   * Quarantines records the merge left out because their email belongs to another customer, copying each
   * record from its staged page; part of the merge's transaction.
   */
  async addEmailConflicts(runId: number, conflicts: EmailConflict[], manager: EntityManager): Promise<void> {
    if (conflicts.length === 0) return;
    await manager.query(
      `INSERT INTO ingest_failures (run_id, page, customer_id, record, errors, reason)
       SELECT $1, c.page, c.customer_id, (p.records -> (c.position - 1))::jsonb, $3::jsonb, 'email_conflict'
       FROM json_to_recordset($2::json) AS c(customer_id text, page int, position int)
       JOIN ingest_staged_pages p ON p.run_id = $1 AND p.page = c.page`,
      [runId, JSON.stringify(conflicts), JSON.stringify(EMAIL_CONFLICT_ERRORS)],
    );
  }

  async findPage(filter: {
    runId?: number;
    page: number;
    limit: number;
  }): Promise<{ rows: IngestFailureEntity[]; total: number }> {
    const [rows, total] = await this.failures.findAndCount({
      where: filter.runId === undefined ? {} : { run_id: filter.runId },
      order: { id: 'ASC' },
      skip: (filter.page - 1) * filter.limit,
      take: filter.limit,
    });
    return { rows, total };
  }
}
