import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthReportDto } from './health-report.dto';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOkResponse({ type: HealthReportDto, description: 'The database answers' })
  @ApiServiceUnavailableResponse({ type: HealthReportDto, description: 'The database cannot be reached' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReportDto> {
    const report = await this.health.report();
    if (report.database === 'down') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
