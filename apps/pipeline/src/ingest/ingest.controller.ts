import {
  BadGatewayException,
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseIntPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto, Page, PaginationQueryDto } from '@customer-pipeline/contracts';
import { IngestFailureDto, IngestFailurePageDto, ListFailuresQueryDto } from './dto/ingest-failure.dto';
import { IngestResultDto } from './dto/ingest-result.dto';
import { IngestRunDto, IngestRunPageDto } from './dto/ingest-run.dto';
import { IngestHistoryService } from './ingest-history.service';
import { IngestRunService } from './ingest-run.service';
import { SourceError } from './source-error';

const runIdPipe = new ParseIntPipe({
  exceptionFactory: () => new BadRequestException('id must be an integer'),
});

@ApiTags('ingest')
@Controller('ingest')
export class IngestController {
  constructor(
    private readonly ingest: IngestRunService,
    private readonly history: IngestHistoryService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: IngestResultDto, description: 'Every page was read and the run was applied' })
  @ApiBadGatewayResponse({
    type: ErrorResponseDto,
    description: 'The source could not be read; nothing was applied',
  })
  async ingestAll(): Promise<IngestResultDto> {
    try {
      return IngestResultDto.fromRun(await this.ingest.run('api'));
    } catch (error) {
      if (error instanceof SourceError) throw new BadGatewayException(error.message);
      throw error;
    }
  }

  @Get('runs')
  @ApiOkResponse({ type: IngestRunPageDto, description: 'Runs, newest first' })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  listRuns(@Query() query: PaginationQueryDto): Promise<Page<IngestRunDto>> {
    return this.history.listRuns(query);
  }

  @Get('runs/:id')
  @ApiOkResponse({ type: IngestRunDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  getRun(@Param('id', runIdPipe) id: number): Promise<IngestRunDto> {
    return this.history.getRun(id);
  }

  @Get('failures')
  @ApiOkResponse({ type: IngestFailurePageDto, description: 'Quarantined records, oldest first' })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  listFailures(@Query() query: ListFailuresQueryDto): Promise<Page<IngestFailureDto>> {
    return this.history.listFailures(query);
  }
}
