import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every error response. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['limit must not be greater than 100'],
  })
  message!: string | string[];

  @ApiPropertyOptional({ example: '5f0c9a4e-8d3b-4a51-9f1e-2b7c3d4e5f60' })
  request_id?: string;
}
