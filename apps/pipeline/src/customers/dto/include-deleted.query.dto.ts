import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';

/** Only the words true and false; anything else is left as is for validation to refuse by name. */
const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** Whether a read sees customers that a full run found deleted at the source. */
export class IncludeDeletedQueryDto {
  @ApiPropertyOptional({
    default: false,
    description: 'true: deleted customers too, each with its `deleted_at`; by default only live ones',
  })
  @Transform(toBoolean)
  @IsBoolean()
  include_deleted: boolean = false;
}
