import { ApiProperty } from '@nestjs/swagger';
import { CustomerDto } from '@customer-pipeline/contracts';
import { INGEST_SOURCE_KINDS } from '@customer-pipeline/data-access';

/** One stored customer, as the source serves it, with where it came from. */
export class CustomerDetailDto extends CustomerDto {
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'When a full run found the source no longer has this customer; null while it is live',
  })
  deleted_at!: string | null;

  @ApiProperty({ enum: INGEST_SOURCE_KINDS, example: 'api', nullable: true, type: String })
  source_kind!: string | null;

  @ApiProperty({
    example: 'http://127.0.0.1:5000',
    nullable: true,
    type: String,
    description: "The source API's URL, or the CSV file's path or URL, it was last read from",
  })
  source_location!: string | null;

  @ApiProperty({ example: 1, nullable: true, type: Number, description: 'The run that last changed it' })
  last_run_id!: number | null;
}
