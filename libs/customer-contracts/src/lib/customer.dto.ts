import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import {
  CodePointLength,
  IsEmailAddress,
  IsIsoTimestamp,
  IsPastCalendarDate,
  IsStorableText,
  MaxDecimalPlaces,
} from './customer-rules';

/** Largest magnitude a DECIMAL(15,2) balance can hold. */
export const MAX_ACCOUNT_BALANCE = 9_999_999_999_999.99;

/** The fields every customer record must carry; the others may be absent or null. */
export const REQUIRED_CUSTOMER_FIELDS = ['customer_id', 'first_name', 'last_name', 'email'] as const;

/** Every field the contract knows; a source may send others, which are not stored. */
export const CUSTOMER_FIELDS = [
  ...REQUIRED_CUSTOMER_FIELDS,
  'phone',
  'address',
  'date_of_birth',
  'account_balance',
  'created_at',
  'updated_at',
] as const;

/**
 * One customer as it travels on the wire (the examples are CUST001 of the mock API's fixture, so that
 * Swagger UI shows what "Try it out" answers), in the source's snake_case shape. Every text field is held to
 * what its PostgreSQL column can take, so that a record the contract accepts can always be stored.
 */
export class CustomerDto {
  @ApiProperty({ example: 'CUST001', minLength: 1, maxLength: 50 })
  @IsString()
  @CodePointLength(1, 50)
  @IsStorableText()
  customer_id!: string;

  @ApiProperty({ example: 'Margaret', minLength: 1, maxLength: 100 })
  @IsString()
  @CodePointLength(1, 100)
  @IsStorableText()
  first_name!: string;

  @ApiProperty({ example: 'Whitfield', minLength: 1, maxLength: 100 })
  @IsString()
  @CodePointLength(1, 100)
  @IsStorableText()
  last_name!: string;

  @ApiProperty({ example: 'margaret.whitfield@example.com', maxLength: 255, format: 'email' })
  @IsEmailAddress()
  @CodePointLength(0, 255)
  @IsStorableText()
  email!: string;

  @ApiPropertyOptional({ example: '+1-555-201-4410', maxLength: 20, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @CodePointLength(0, 20)
  @IsStorableText()
  phone?: string | null;

  @ApiPropertyOptional({ example: '418 Alder Street, Portland, OR 97205', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @IsStorableText()
  address?: string | null;

  @ApiPropertyOptional({
    example: '1979-03-14',
    format: 'date',
    description: 'YYYY-MM-DD; a real calendar date, not in the future',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsPastCalendarDate()
  date_of_birth?: string | null;

  @ApiPropertyOptional({
    example: 2450,
    description: 'At most 2 decimals; absolute value below 10^13',
    nullable: true,
    type: Number,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimalPlaces(2)
  @Min(-MAX_ACCOUNT_BALANCE)
  @Max(MAX_ACCOUNT_BALANCE)
  account_balance?: number | null;

  @ApiPropertyOptional({
    example: '2024-01-15T10:30:00.000Z',
    format: 'date-time',
    description: 'ISO-8601 timestamp; without an offset it is read as UTC',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsIsoTimestamp()
  created_at?: string | null;

  @ApiPropertyOptional({
    example: '2025-03-01T09:00:00.000Z',
    format: 'date-time',
    description: 'When the source last changed the customer: ISO-8601; without an offset it is read as UTC',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsIsoTimestamp()
  updated_at?: string | null;
}
