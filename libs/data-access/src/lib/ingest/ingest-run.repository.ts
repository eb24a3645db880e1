import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { IngestRunEntity, IngestRunStatus, IngestTrigger } from './ingest-run.entity';

export type RunProgress = Partial<
  Pick<
    IngestRunEntity,
    | 'pages_total'
    | 'pages_fetched'
    | 'source_total'
    | 'records_processed'
    | 'records_failed'
    | 'records_duplicate'
    | 'retries'
  >
>;

export interface RunTotals {
  runs: number;
  records_processed: number;
}

@Injectable()
export class IngestRunRepository {
  constructor(@InjectRepository(IngestRunEntity) private readonly runs: Repository<IngestRunEntity>) {}

  start(trigger: IngestTrigger, sourceKind: string): Promise<IngestRunEntity> {
    return this.runs.save(this.runs.create({ trigger, status: 'running', source_kind: sourceKind }));
  }

  findById(id: number): Promise<IngestRunEntity | null> {
    return this.runs.findOneBy({ id });
  }

  async findPage(page: number, limit: number): Promise<{ rows: IngestRunEntity[]; total: number }> {
    const [rows, total] = await this.runs.findAndCount({
      order: { id: 'DESC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { rows, total };
  }

  findLatest(statuses?: IngestRunStatus[]): Promise<IngestRunEntity | null> {
    return this.runs.findOne({ where: statuses ? { status: In(statuses) } : {}, order: { id: 'DESC' } });
  }

  async recordProgress(id: number, progress: RunProgress): Promise<void> {
    await this.runs.update({ id }, progress);
  }

  async finish(
    id: number,
    status: Exclude<IngestRunStatus, 'running' | 'success'>,
    error: string,
  ): Promise<void> {
    await this.runs.update({ id }, { status, error, finished_at: () => 'now()' });
  }

  async totals(): Promise<RunTotals> {
    const row = await this.runs
      .createQueryBuilder('r')
      .select('count(*)::int', 'runs')
      .addSelect('coalesce(sum(r.records_processed), 0)::bigint', 'records_processed')
      .getRawOne<{ runs: number; records_processed: string }>();
    return { runs: row?.runs ?? 0, records_processed: Number(row?.records_processed ?? 0) };
  }
}
