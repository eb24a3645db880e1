import { Injectable, NotFoundException } from '@nestjs/common';
import { Page, PaginationQueryDto, toPage } from '@customer-pipeline/contracts';
import { IngestFailureRepository, IngestRunRepository } from '@customer-pipeline/data-access';
import { IngestFailureDto, ListFailuresQueryDto } from './dto/ingest-failure.dto';
import { IngestRunDto } from './dto/ingest-run.dto';

/** What past and running ingests did, for operators. */
@Injectable()
export class IngestHistoryService {
  constructor(
    private readonly runs: IngestRunRepository,
    private readonly failures: IngestFailureRepository,
  ) {}

  async listRuns(query: PaginationQueryDto): Promise<Page<IngestRunDto>> {
    const { rows, total } = await this.runs.findPage(query.page, query.limit);
    return toPage(rows.map(IngestRunDto.fromEntity), total, query);
  }

  async getRun(id: number): Promise<IngestRunDto> {
    const run = await this.runs.findById(id);
    if (!run) throw new NotFoundException(`Ingest run ${id} not found`);
    return IngestRunDto.fromEntity(run);
  }

  async listFailures(query: ListFailuresQueryDto): Promise<Page<IngestFailureDto>> {
    const { rows, total } = await this.failures.findPage({
      runId: query.run_id,
      page: query.page,
      limit: query.limit,
    });
    return toPage(rows.map(IngestFailureDto.fromEntity), total, query);
  }
}
