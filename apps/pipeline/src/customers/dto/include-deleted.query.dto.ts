import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import { toStrictBoolean } from '@customer-pipeline/contracts';

/** Whether a read sees customers that a full run found deleted at the source. */
export class IncludeDeletedQueryDto {
  @ApiPropertyOptional({
    default: false,
    description: 'true: deleted customers too, each with its `deleted_at`; by default only live ones',
  })
  @Transform(toStrictBoolean)
  @IsBoolean()
  include_deleted: boolean = false;
}
