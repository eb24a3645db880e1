import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsRunId } from '../../ingest/runs/dto/run-id-param.dto';
import { IncludeDeletedQueryDto } from './include-deleted.query.dto';

/**
 * The filters of the customer list and the export. They carry no `example`: Swagger UI fills examples in,
 * and "Try it out" would then list only the customers they happen to match (none, in the fixture).
 */
export class CustomerFilterQueryDto extends IncludeDeletedQueryDto {
  @ApiPropertyOptional({
    description:
      'Case-insensitive match anywhere in first name, last name or email; `%` and `_` are plain characters. ' +
      'Three characters or more are found through a trigram index; one or two cost a scan of the table ' +
      'the first time after each run (see the README).',
    minLength: 1,
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  search?: string;

  @ApiPropertyOptional({ description: 'Exact email, compared case-insensitively', maxLength: 255 })
  @IsOptional()
  @IsEmail()
  @MaxLength(255)
  email?: string;

  @ApiPropertyOptional({
    description: 'Only the customers this run last changed: inserted, updated, deleted or restored',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
  })
  @IsOptional()
  @IsRunId()
  last_run_id?: number;
}
