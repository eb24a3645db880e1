import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiReadAccess } from '../auth/api-read-access.decorator';
import { StatsDto } from './stats.dto';
import { StatsService } from './stats.service';
import { ApiDatabaseUnavailableResponse } from '../app/database-unavailable.filter';

@ApiReadAccess()
@ApiTags('stats')
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @ApiDatabaseUnavailableResponse()
  @Get()
  @ApiOperation({
    summary: 'Totals',
    description:
      'Customers stored, runs recorded, records read across all runs, and the last success and last ' +
      'failure with its reason. The number of customers is kept by the runs themselves: nothing is ' +
      'counted per request.',
  })
  @ApiOkResponse({ type: StatsDto, description: 'The totals now' })
  get(): Promise<StatsDto> {
    return this.stats.stats();
  }
}
