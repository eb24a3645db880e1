import {
  BadGatewayException,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiBearerAuth,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { ErrorResponseDto, Page, PaginationQueryDto } from '@customer-pipeline/contracts';
import { IngestLockLostError } from '@customer-pipeline/data-access';
import type { Response } from 'express';
import { Access } from '../auth/access.decorator';
import { IngestFailureDto, IngestFailurePageDto, ListFailuresQueryDto } from './runs/dto/ingest-failure.dto';
import { IngestQueryDto } from './dto/ingest-query.dto';
import { IngestResultDto } from './dto/ingest-result.dto';
import { IngestRunDto, IngestRunPageDto } from './runs/dto/ingest-run.dto';
import { RunIdParamDto } from './runs/dto/run-id-param.dto';
import { IngestStartedDto } from './dto/ingest-started.dto';
import { RunFailedError, RunInProgressError, RunInterruptedError } from './engine/ingest-errors';
import { ApiReadAccess } from '../auth/api-read-access.decorator';
import { IngestHistoryService } from './runs/ingest-history.service';
import { IngestRunService, StartedRun } from './engine/ingest-run.service';
import { PageSourceRegistry } from './sources/page-source.registry';

/** The HTTP meaning of a run that could not start or did not finish; the body names the run. */
function toHttpError(error: unknown): unknown {
  if (error instanceof RunInProgressError) {
    return new ConflictException({ message: error.message, error: 'Conflict', run_id: error.runId });
  }
  if (error instanceof RunFailedError) {
    return new BadGatewayException({ message: error.message, error: 'Bad Gateway', run_id: error.runId });
  }
  if (error instanceof RunInterruptedError) {
    return new ServiceUnavailableException({
      message: error.message,
      error: 'Service Unavailable',
      run_id: error.runId,
    });
  }
  if (error instanceof IngestLockLostError) return new ServiceUnavailableException(error.message);
  return error;
}

@ApiBearerAuth()
@ApiTags('ingest')
@Controller('ingest')
export class IngestController {
  constructor(
    private readonly ingest: IngestRunService,
    private readonly history: IngestHistoryService,
    private readonly sources: PageSourceRegistry,
  ) {}

  @Post()
  @Access('write')
  @SkipThrottle()
  @HttpCode(HttpStatus.OK)
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'INGEST_API_KEY is set and was not sent' })
  @ApiOkResponse({ type: IngestResultDto, description: 'Every page was read and the run was applied' })
  @ApiAcceptedResponse({ type: IngestStartedDto, description: 'With wait=false: the run started' })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'A run is already going on; `run_id` names it',
  })
  @ApiBadGatewayResponse({
    type: ErrorResponseDto,
    description: 'The source could not be read; nothing was applied',
  })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'The pipeline is shutting down' })
  async ingestAll(
    @Query() query: IngestQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IngestResultDto | IngestStartedDto> {
    const started = await this.ingest.start('api', this.sources.resolve(query.source)).catch((error) => {
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

  @Get('runs')
  @ApiReadAccess()
  @ApiOkResponse({ type: IngestRunPageDto, description: 'Runs, newest first' })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  listRuns(@Query() query: PaginationQueryDto): Promise<Page<IngestRunDto>> {
    return this.history.listRuns(query);
  }

  @Get('runs/:id')
  @ApiReadAccess()
  @ApiOkResponse({ type: IngestRunDto, description: 'One run; a running run shows live progress' })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  getRun(@Param() params: RunIdParamDto): Promise<IngestRunDto> {
    return this.history.getRun(params.id);
  }

  @Get('failures')
  @ApiReadAccess()
  @ApiOkResponse({ type: IngestFailurePageDto, description: 'Quarantined records, oldest first' })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  listFailures(@Query() query: ListFailuresQueryDto): Promise<Page<IngestFailureDto>> {
    return this.history.listFailures(query);
  }

  private async finished(started: StartedRun): Promise<IngestResultDto> {
    try {
      return IngestResultDto.fromRun(await started.outcome());
    } catch (error) {
      throw toHttpError(error);
    }
  }
}
