import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';

/** One hour: a longer outage is one nobody will wait for in a test. */
export const MAX_OUTAGE_MS = 3_600_000;

export class SetOutageDto {
  @ApiProperty({ example: true, description: 'true: answer every customers request 503; false: serve again' })
  @IsBoolean()
  down!: boolean;

  @ApiPropertyOptional({
    example: 2000,
    minimum: 1,
    maximum: MAX_OUTAGE_MS,
    description: 'Only with "down": true: come back by itself after this many milliseconds',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_OUTAGE_MS)
  @ValidateBy({
    name: 'onlyWhenDown',
    validator: {
      validate: (_value, args) => (args?.object as SetOutageDto).down === true,
      defaultMessage: () => 'for_ms is only allowed with "down": true',
    },
  })
  for_ms?: number;
}
