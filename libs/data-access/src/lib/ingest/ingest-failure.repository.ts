import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { IngestFailureEntity } from './ingest-failure.entity';

export type NewIngestFailure = Pick<
  IngestFailureEntity,
  'run_id' | 'page' | 'customer_id' | 'record' | 'errors' | 'reason'
>;

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
