import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FAILURE_REASONS, IngestFailureEntity } from '@customer-pipeline/data-access';
import { PageDto, PaginationQueryDto } from '@customer-pipeline/contracts';
import { IsOptional } from 'class-validator';
import { IsRunId } from './run-id-param.dto';

class FieldErrorDto {
  @ApiProperty({ example: 'email' })
  field!: string;

  @ApiProperty({ example: ['email must be an email'] })
  messages!: string[];
}

export class IngestFailureDto {
  @ApiProperty({ example: 1 })
  id!: number;

  @ApiProperty({ example: 1 })
  run_id!: number;

  @ApiPropertyOptional({ example: 1, nullable: true, type: Number })
  page!: number | null;

  @ApiPropertyOptional({ example: 'CUST013', nullable: true, type: String })
  customer_id!: string | null;

  @ApiProperty({
    description: 'The record exactly as the source sent it',
    type: Object,
    example: { customer_id: 'CUST013' },
  })
  record!: unknown;

  @ApiProperty({ type: [FieldErrorDto] })
  errors!: FieldErrorDto[];

  @ApiProperty({ enum: FAILURE_REASONS, example: 'validation' })
  reason!: string;

  @ApiProperty({ example: '2026-11-22T10:00:01.000Z' })
  created_at!: string;

  static fromEntity(failure: IngestFailureEntity): IngestFailureDto {
    return { ...failure, created_at: failure.created_at.toISOString() };
  }
}

export class IngestFailurePageDto extends PageDto<IngestFailureDto> {
  @ApiProperty({ type: [IngestFailureDto] })
  data!: IngestFailureDto[];
}

export class ListFailuresQueryDto extends PaginationQueryDto {
  // No example: Swagger UI would fill it in, and "Try it out" would show only that run's failures.
  @ApiPropertyOptional({
    description: 'Only the failures of this run',
    type: 'integer',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
  })
  @IsOptional()
  @IsRunId()
  run_id?: number;
}
