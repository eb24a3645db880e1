import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Page, PaginationQueryDto } from '@customer-pipeline/contracts';
import { ApiErrorResponse } from '@customer-pipeline/http-runtime';
import { ApiReadAccess } from '../../auth/api-read-access.decorator';
import { IngestFailureDto, IngestFailurePageDto, ListFailuresQueryDto } from './dto/ingest-failure.dto';
import { IngestRunDto, IngestRunPageDto } from './dto/ingest-run.dto';
import { RunIdParamDto } from './dto/run-id-param.dto';
import { IngestHistoryService } from './ingest-history.service';

/** What runs did: their history, one run's progress, and the records they quarantined. */
@ApiTags('ingest')
@Controller('ingest')
export class IngestRunsController {
  constructor(private readonly history: IngestHistoryService) {}

  @Get('runs')
  @ApiReadAccess()
  @ApiOperation({
    summary: 'List ingest runs',
    description: 'Every run, newest first, with its counters and outcome.',
  })
  @ApiOkResponse({ type: IngestRunPageDto, description: 'Runs, newest first' })
  @ApiErrorResponse(400, 'A paging parameter is invalid', ['page must not be less than 1'])
  listRuns(@Query() query: PaginationQueryDto): Promise<Page<IngestRunDto>> {
    return this.history.listRuns(query);
  }

  @Get('runs/:id')
  @ApiReadAccess()
  @ApiOperation({
    summary: 'Get one ingest run',
    description: 'One run with its counters; a running run shows its live progress (phase, pages, ETA).',
  })
  @ApiOkResponse({ type: IngestRunDto, description: 'One run; a running run shows live progress' })
  @ApiErrorResponse(400, 'The id is not a whole number from 1 to 2^53 - 1', ['id must not be less than 1'])
  @ApiErrorResponse(404, 'No run has this id', 'Ingest run 999 not found')
  getRun(@Param() params: RunIdParamDto): Promise<IngestRunDto> {
    return this.history.getRun(params.id);
  }

  @Get('failures')
  @ApiReadAccess()
  @ApiOperation({
    summary: 'List quarantined records',
    description:
      'Records that were not applied, oldest first, as the source sent them, with their field errors and ' +
      'reason (validation or email_conflict); run_id narrows them to one run.',
  })
  @ApiOkResponse({ type: IngestFailurePageDto, description: 'Quarantined records, oldest first' })
  @ApiErrorResponse(400, 'A paging parameter or run_id is invalid', ['run_id must not be less than 1'])
  listFailures(@Query() query: ListFailuresQueryDto): Promise<Page<IngestFailureDto>> {
    return this.history.listFailures(query);
  }
}
