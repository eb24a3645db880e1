import { ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto } from '@customer-pipeline/contracts';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class ListCustomersQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({
    description: 'Case-insensitive match anywhere in first name, last name or email',
    example: 'love',
    minLength: 1,
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  search?: string;

  @ApiPropertyOptional({
    description: 'Exact email, compared case-insensitively',
    example: 'ada.lovelace@example.com',
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(255)
  email?: string;
}
