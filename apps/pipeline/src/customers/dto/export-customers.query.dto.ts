import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { ExportFormat } from '@customer-pipeline/data-access';
import { CustomerFilterQueryDto } from './customer-filter.query.dto';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['ndjson', 'csv'];

export class ExportCustomersQueryDto extends CustomerFilterQueryDto {
  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    default: 'ndjson',
    description:
      'ndjson: one customer per line as JSON; csv: a header row of the field names, then one row each',
  })
  @IsIn(EXPORT_FORMATS)
  format: ExportFormat = 'ndjson';
}
