import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const FRESHNESS_STATES = ['fresh', 'late', 'stale', 'unscheduled'] as const;
export type FreshnessState = (typeof FRESHNESS_STATES)[number];

/** Whether the stored data is as new as INGEST_CRON promises. */
export class FreshnessDto {
  @ApiProperty({
    enum: FRESHNESS_STATES,
    example: 'fresh',
    description:
      '`fresh`: the last success is at most one schedule interval old; `late`: more than one; `stale`: more ' +
      'than two, or no success yet; `unscheduled`: neither INGEST_CRON nor INGEST_CRON_INCREMENTAL is set',
  })
  state!: FreshnessState;

  @ApiPropertyOptional({
    example: '2026-11-22T06:00:41.000Z',
    nullable: true,
    type: String,
    description: 'When the last successful run finished; null before one',
  })
  last_success_at!: string | null;

  @ApiPropertyOptional({
    example: 21600,
    nullable: true,
    type: Number,
    description:
      'Seconds between the ticks around now of INGEST_CRON, or of INGEST_CRON_INCREMENTAL where it ticks more ' +
      'often; null when unscheduled',
  })
  interval_seconds!: number | null;

  @ApiPropertyOptional({
    example: '2026-11-22T12:00:41.000Z',
    nullable: true,
    type: String,
    description: 'From this instant on, without a newer success, the data is late',
  })
  late_after!: string | null;

  @ApiPropertyOptional({
    example: '2026-11-22T18:00:41.000Z',
    nullable: true,
    type: String,
    description: 'From this instant on, without a newer success, the data is stale',
  })
  stale_after!: string | null;
}
