import { ApiPropertyOptional } from '@nestjs/swagger';
import { INGEST_MODES, IngestMode } from '@customer-pipeline/data-access';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn } from 'class-validator';

export const INGEST_SOURCES = ['api', 'csv'] as const;

/** Only the words true and false; anything else is left as is for validation to refuse by name. */
const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class IngestQueryDto {
  @ApiPropertyOptional({
    default: true,
    description: 'false: answer 202 with the run id at once and follow it at GET /api/ingest/runs/{id}',
  })
  @Transform(toBoolean)
  @IsBoolean()
  wait: boolean = true;

  @ApiPropertyOptional({
    enum: INGEST_SOURCES,
    default: 'api',
    description: 'api: the source API at SOURCE_URL; csv: the CSV file at INGEST_CSV_PATH',
  })
  @IsIn(INGEST_SOURCES)
  source: (typeof INGEST_SOURCES)[number] = 'api';

  @ApiPropertyOptional({
    enum: INGEST_MODES,
    default: 'full',
    description:
      'full: read the whole source, and mark customers it no longer has as deleted; incremental: read only ' +
      'what changed since the checkpoint (a source that lists by updated_since); it cannot see deletes',
  })
  @IsIn(INGEST_MODES)
  mode: IngestMode = 'full';
}
