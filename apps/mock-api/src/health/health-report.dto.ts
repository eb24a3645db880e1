import { ApiProperty } from '@nestjs/swagger';
import type { CustomerSourceKind } from '../customers/customer-source';

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
}
