import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

/** What one terminus indicator found; a failed one says why. */
export class HealthIndicatorDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  status!: 'up' | 'down';

  @ApiPropertyOptional({ example: 'source API unreachable', description: 'Why the indicator is down' })
  message?: string;
}

/** Indicators by name, as terminus reports them. */
const INDICATORS = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(HealthIndicatorDto) },
} as const;

/** A passing terminus health check (`@nestjs/terminus`'s `HealthCheckResult`). */
@ApiExtraModels(HealthIndicatorDto)
export class HealthCheckResultDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: 'ok';

  @ApiProperty({
    ...INDICATORS,
    description: 'The indicators that are up',
    example: { database: { status: 'up' } },
  })
  info!: Record<string, HealthIndicatorDto>;

  @ApiProperty({ ...INDICATORS, description: 'The indicators that are down: none', example: {} })
  error!: Record<string, HealthIndicatorDto>;

  @ApiProperty({ ...INDICATORS, description: 'Every indicator', example: { database: { status: 'up' } } })
  details!: Record<string, HealthIndicatorDto>;
}

/**
 * A failing terminus health check as it leaves the app: the shared error shape (terminus's own `error` map
 * gives way to the error name), with terminus's `status`, `info` and `details` beside it.
 */
@ApiExtraModels(HealthIndicatorDto)
export class HealthCheckFailureDto {
  @ApiProperty({ example: 503 })
  statusCode!: number;

  @ApiProperty({ example: 'Service Unavailable' })
  error!: string;

  @ApiProperty({ example: 'Service Unavailable Exception' })
  message!: string;

  @ApiPropertyOptional({ example: '5f0c9a4e-8d3b-4a51-9f1e-2b7c3d4e5f60' })
  request_id?: string;

  @ApiProperty({ enum: ['error'], example: 'error' })
  status!: 'error';

  @ApiProperty({
    ...INDICATORS,
    description: 'The indicators that are up',
    example: { database: { status: 'up' } },
  })
  info!: Record<string, HealthIndicatorDto>;

  @ApiProperty({
    ...INDICATORS,
    description: 'Every indicator, the failing ones with their reason',
    example: { database: { status: 'up' }, source: { status: 'down', message: 'source API unreachable' } },
  })
  details!: Record<string, HealthIndicatorDto>;
}
