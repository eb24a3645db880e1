import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import { toStrictBoolean } from '@customer-pipeline/contracts';

/** Whether a request that starts a run waits for it to end. */
export class WaitQueryDto {
  @ApiPropertyOptional({
    default: true,
    description: 'false: answer 202 with the run id at once and follow it at GET /api/ingest/runs/{id}',
  })
  @Transform(toStrictBoolean)
  @IsBoolean()
  wait: boolean = true;
}
