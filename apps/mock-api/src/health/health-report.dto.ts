import { ApiProperty } from '@nestjs/swagger';
import type { CustomerSourceKind } from '../customers/customer-source';

/** The failure modes in force, as configured at start-up; all 0 means none. */
export class FailureSettingsDto {
  @ApiProperty({ example: 0, description: 'MOCK_FAILURE_RATE: share of customers requests answered 500/503' })
  failure_rate!: number;

  @ApiProperty({ example: 0, description: 'MOCK_LATENCY_MS: delay before every customers answer' })
  latency_ms!: number;

  @ApiProperty({ example: 0, description: 'MOCK_RATE_LIMIT: customers requests per second; 0 is no limit' })
  rate_limit!: number;

  @ApiProperty({
    example: 0,
    description: 'MOCK_INVALID_RATE: share of generated customers that break the contract',
  })
  invalid_rate!: number;
}

export class HealthReportDto {
  @ApiProperty({ example: 'ok', enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({ example: 21, description: 'How many customers the API serves' })
  customers!: number;

  @ApiProperty({ example: 'fixture', enum: ['fixture', 'generated'] })
  source!: CustomerSourceKind;

  @ApiProperty({
    example: null,
    nullable: true,
    type: Number,
    description: 'Seed of the generated dataset; null when serving the fixture',
  })
  seed!: number | null;

  @ApiProperty({ example: 0, description: 'MOCK_REVISION of the generated dataset' })
  revision!: number;

  @ApiProperty({
    example: 0.1,
    description: 'MOCK_CHANGE_RATE: share of the customers a revision keeps that it changes',
  })
  change_rate!: number;

  @ApiProperty({
    example: 0,
    description: 'MOCK_DELETE_RATE: share of the present customers a revision deletes',
  })
  delete_rate!: number;

  @ApiProperty({
    example: 0,
    description: 'MOCK_RESTORE_RATE: share of the deleted customers a revision restores',
  })
  restore_rate!: number;

  @ApiProperty({
    example: 0,
    description: 'MOCK_ADD_RATE: customers a revision adds, as a share of MOCK_CUSTOMERS',
  })
  add_rate!: number;

  @ApiProperty({
    example: false,
    description: 'Whether the customers routes are down (POST /api/admin/outage)',
  })
  outage!: boolean;

  @ApiProperty({ type: FailureSettingsDto })
  failures!: FailureSettingsDto;
}
