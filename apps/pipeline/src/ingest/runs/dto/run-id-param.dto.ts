import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { toStrictInteger } from '@customer-pipeline/contracts';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/**
 * A run id as given in a path or query: run ids are PostgreSQL bigints read as JS numbers, so past
 * 2^53 - 1 a number names no run exactly, and past 2^63 - 1 PostgreSQL would refuse it with a 500.
 */
export function IsRunId(): PropertyDecorator {
  return applyDecorators(Transform(toStrictInteger), IsInt(), Min(1), Max(Number.MAX_SAFE_INTEGER));
}

export class RunIdParamDto {
  @ApiProperty({
    type: 'integer',
    description: 'The run id (run_id)',
    example: 1,
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
  })
  @IsRunId()
  id!: number;
}
