import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ApiErrorResponse } from '@customer-pipeline/http-runtime';
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

/** The 400 and 404 of a route that names a run by its id in the path. */
export const ApiRunIdResponses = () =>
  applyDecorators(
    ApiErrorResponse(400, 'The id is not a whole number from 1 to 2^53 - 1', ['id must not be less than 1']),
    ApiErrorResponse(404, 'No run has this id', 'Ingest run 999 not found'),
  );
