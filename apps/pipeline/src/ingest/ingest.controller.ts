import { Controller, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiErrorResponse } from '@customer-pipeline/http-runtime';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator';
import { ApiWriteAccess } from '../auth/api-write-access.decorator';
import { IngestQueryDto } from './dto/ingest-query.dto';
import { IngestResultDto } from './dto/ingest-result.dto';
import { IngestStartedDto } from './dto/ingest-started.dto';
import { ApiRunInterruptedResponse, toHttpError } from './ingest-http-errors';
import { IngestRunService, StartedRun } from './engine/ingest-run.service';
import { PageSourceRegistry } from './sources/page-source.registry';

@ApiTags('ingest')
@Controller('ingest')
export class IngestController {
  constructor(
    private readonly ingest: IngestRunService,
    private readonly sources: PageSourceRegistry,
  ) {}

  @Post()
  @Access('write')
  @SkipThrottle()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Ingest the source',
    description:
      'Reads every page of the source (the API at SOURCE_URL, or with source=csv the CSV at INGEST_CSV_PATH), ' +
      'quarantines invalid records and applies the rest in one transaction. Resumes an unfinished run. ' +
      'mode=incremental reads only what changed since the checkpoint. By default answers when the run has ' +
      'ended (status success, or needs_review when a guard held it); with wait=false at once, with the ' +
      'run id to follow.',
  })
  @ApiWriteAccess()
  @ApiOkResponse({ type: IngestResultDto, description: 'Every page was read and the run was applied' })
  @ApiAcceptedResponse({ type: IngestStartedDto, description: 'With wait=false: the run started' })
  @ApiErrorResponse(400, 'A query parameter is invalid, or source=csv without INGEST_CSV_PATH', [
    'wait must be a boolean value',
  ])
  @ApiErrorResponse(
    409,
    'A run is already going on or waits for review (`run_id` names it), or mode=incremental of a source that ' +
      'cannot list changes',
    'ingest run 7 is already running',
    { run_id: 7 },
  )
  @ApiErrorResponse(
    502,
    'The source could not be read; nothing was applied, and the next ingest resumes the run `run_id`',
    'source answered HTTP 503 for page 4',
    { run_id: 7 },
  )
  @ApiRunInterruptedResponse()
  async ingestAll(
    @Query() query: IngestQueryDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<IngestResultDto | IngestStartedDto> {
    const started = await this.ingest
      .start('api', this.sources.resolve(query.source), query.mode)
      .catch((error) => {
        throw toHttpError(error);
      });
    if (query.wait) return this.finished(started);
    response.status(HttpStatus.ACCEPTED);
    return {
      status: 'running',
      run_id: started.run.id,
      resumed: started.resumed,
      progress_url: `/api/ingest/runs/${started.run.id}`,
    };
  }

  private async finished(started: StartedRun): Promise<IngestResultDto> {
    try {
      return IngestResultDto.fromRun(await started.outcome());
    } catch (error) {
      throw toHttpError(error);
    }
  }
}
