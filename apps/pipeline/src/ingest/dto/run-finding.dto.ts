import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What a quality guard found on the run. */
export class RunFindingDto {
  @ApiProperty({
    example: 'delete_share',
    description: 'The guard: delete_share, empty_source, volume, invalid_share or schema_drift',
  })
  guard!: string;

  @ApiProperty({
    enum: ['warn', 'hold'],
    example: 'hold',
    description: 'hold: the run waits in needs_review; warn: recorded only',
  })
  action!: string;

  @ApiProperty({ example: 'the run would delete 40% of the stored customers (more than 10%)' })
  message!: string;

  @ApiPropertyOptional({ type: Object, example: { stored: 1000, deleting: 400 } })
  details?: Record<string, unknown>;
}
