import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { Page, PaginationQueryDto } from '@customer-pipeline/contracts';
import { ApiErrorResponse } from '@customer-pipeline/http-runtime';
import { Access } from '../../auth/access.decorator';
import { ApiReadAccess } from '../../auth/api-read-access.decorator';
import { ApiWriteAccess } from '../../auth/api-write-access.decorator';
import { IngestResultDto } from '../dto/ingest-result.dto';
import { IngestStartedDto } from '../dto/ingest-started.dto';
import { WaitQueryDto } from '../dto/wait-query.dto';
import { IngestRunService } from '../engine/ingest-run.service';
import { ApiRunInterruptedResponse, ApiRunNotHeldResponse, toHttpError } from '../ingest-http-errors';
import { IngestFailureDto, IngestFailurePageDto, ListFailuresQueryDto } from './dto/ingest-failure.dto';
import { IngestRunDto, IngestRunPageDto } from './dto/ingest-run.dto';
import { ApiRunIdResponses, RunIdParamDto } from './dto/run-id-param.dto';
import { IngestHistoryService } from './ingest-history.service';
import { ApiDatabaseUnavailableResponse } from '../../app/database-unavailable.filter';

/**
 * What runs did: their history, one run's progress, and the records they quarantined; and the decision on
 * a run that a quality guard held.
 */
@ApiTags('ingest')
@Controller('ingest')
export class IngestRunsController {
  constructor(
    private readonly history: IngestHistoryService,
    private readonly ingest: IngestRunService,
  ) {}

  @Post('runs/:id/approve')
  @Access('write')
  @SkipThrottle()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Approve a held run',
    description:
      'Applies a run that a quality guard held in needs_review, exactly as it was staged: nothing is read ' +
      'again and no guard judges it again. By default answers when it is applied; with wait=false at once. ' +
      'A held run whose staged pages a PostgreSQL crash emptied cannot be approved (409): reject it.',
  })
  @ApiWriteAccess()
  @ApiOkResponse({ type: IngestResultDto, description: 'The run was applied' })
  @ApiAcceptedResponse({ type: IngestStartedDto, description: 'With wait=false: the run is being applied' })
  @ApiRunIdResponses()
  @ApiRunNotHeldResponse()
  @ApiErrorResponse(502, 'The run could not be applied', 'internal error', { run_id: 7 })
  @ApiRunInterruptedResponse()
  async approve(
    @Param() params: RunIdParamDto,
    @Query() query: WaitQueryDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<IngestResultDto | IngestStartedDto> {
    const started = await this.ingest.approve(params.id).catch((error) => {
      throw toHttpError(error);
    });
    if (!query.wait) {
      response.status(HttpStatus.ACCEPTED);
      return {
        status: 'running',
        run_id: params.id,
        resumed: true,
        progress_url: `/api/ingest/runs/${params.id}`,
      };
    }
    try {
      return IngestResultDto.fromRun(await started.outcome());
    } catch (error) {
      throw toHttpError(error);
    }
  }

  @ApiDatabaseUnavailableResponse()
  @Post('runs/:id/reject')
  @Access('write')
  @SkipThrottle()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Reject a held run',
    description:
      'Discards a run that a quality guard held in needs_review: its staged pages are dropped, no customer ' +
      'changes, and the next ingest starts afresh.',
  })
  @ApiWriteAccess()
  @ApiOkResponse({ type: IngestRunDto, description: 'The run, now rejected' })
  @ApiRunIdResponses()
  @ApiRunNotHeldResponse()
  async reject(@Param() params: RunIdParamDto): Promise<IngestRunDto> {
    const run = await this.ingest.reject(params.id).catch((error) => {
      throw toHttpError(error);
    });
    return this.history.describe(run);
  }

  @ApiDatabaseUnavailableResponse()
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

  @ApiDatabaseUnavailableResponse()
  @Get('runs/:id')
  @ApiReadAccess()
  @ApiOperation({
    summary: 'Get one ingest run',
    description: 'One run with its counters; a running run shows its live progress (phase, pages, ETA).',
  })
  @ApiOkResponse({ type: IngestRunDto, description: 'One run; a running run shows live progress' })
  @ApiRunIdResponses()
  getRun(@Param() params: RunIdParamDto): Promise<IngestRunDto> {
    return this.history.getRun(params.id);
  }

  @ApiDatabaseUnavailableResponse()
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
