import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiReadAccess } from '../auth/api-read-access.decorator';
import { StatsDto } from './stats.dto';
import { StatsService } from './stats.service';

@ApiReadAccess()
@ApiTags('stats')
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @ApiOkResponse({ type: StatsDto })
  get(): Promise<StatsDto> {
    return this.stats.stats();
  }
}
