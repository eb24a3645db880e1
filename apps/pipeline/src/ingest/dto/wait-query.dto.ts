import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';

/** Only the words true and false; anything else is left as is for validation to refuse by name. */
const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** Whether a request that starts a run waits for it to end. */
export class WaitQueryDto {
  @ApiPropertyOptional({
    default: true,
    description: 'false: answer 202 with the run id at once and follow it at GET /api/ingest/runs/{id}',
  })
  @Transform(toBoolean)
  @IsBoolean()
  wait: boolean = true;
}
