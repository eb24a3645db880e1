import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CustomerSource } from '../customers/customer-source';
import { HealthReportDto } from './health-report.dto';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly source: CustomerSource) {}

  @Get()
  @ApiOperation({ summary: 'Liveness, and which dataset is being served' })
  @ApiOkResponse({ type: HealthReportDto })
  check(): HealthReportDto {
    return { status: 'ok', customers: this.source.total, source: this.source.kind, seed: this.source.seed };
  }
}
