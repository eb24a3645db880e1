import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiReadAccess } from '../auth/api-read-access.decorator';
import { ApiRunIdResponses, RunIdParamDto } from '../ingest/runs/dto/run-id-param.dto';
import { FailureSummaryDto } from './failure-summary.dto';
import { FailureSummaryService } from './failure-summary.service';
import { ApiDatabaseUnavailableResponse } from '../app/database-unavailable.filter';

@ApiTags('ingest')
@Controller('ingest/runs')
export class FailuresController {
  constructor(private readonly summaries: FailureSummaryService) {}

  @ApiDatabaseUnavailableResponse()
  @Get(':id/failures/summary')
  @ApiReadAccess()
  @ApiOperation({
    summary: "Group a run's quarantined records by rule",
    description:
      'How many of the run’s quarantined records broke each rule of each field, the largest groups first, ' +
      'with the first such record as an example; GET /api/ingest/failures?run_id= lists them one by one.',
  })
  @ApiOkResponse({ type: FailureSummaryDto, description: 'The groups, the largest first' })
  @ApiRunIdResponses()
  summary(@Param() params: RunIdParamDto): Promise<FailureSummaryDto> {
    return this.summaries.summarize(params.id);
  }
}
