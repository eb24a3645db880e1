import { ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto } from '@customer-pipeline/contracts';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';

/**
 * The filters carry no `example`: Swagger UI fills examples in, and "Try it out" would then list only the
 * customers they happen to match (none, in the fixture).
 */
export class ListCustomersQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({
    description: 'Case-insensitive match anywhere in first name, last name or email',
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
}
