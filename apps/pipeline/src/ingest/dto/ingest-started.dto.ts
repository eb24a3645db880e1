import { ApiProperty } from '@nestjs/swagger';

/** The answer to `POST /api/ingest?wait=false`. */
export class IngestStartedDto {
  @ApiProperty({ example: 'running', enum: ['running'] })
  status!: 'running';

  @ApiProperty({ example: 7 })
  run_id!: number;

  @ApiProperty({ example: false, description: 'True when an unfinished earlier run was picked up again' })
  resumed!: boolean;

  @ApiProperty({ example: '/api/ingest/runs/7', description: 'Where to follow the run' })
  progress_url!: string;
}
