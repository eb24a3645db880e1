import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FAILURE_REASONS } from '@customer-pipeline/data-access';

/** The quarantined records of a run that broke one rule of one field. */
export class FailureRuleGroupDto {
  @ApiProperty({
    example: 'email',
    description: 'The field, `(record)` for a record that is not an object, `(line)` for malformed CSV rows',
  })
  field!: string;

  @ApiProperty({
    example: 'isEmail',
    description:
      "The contract's rule (its class-validator constraint name); `emailTaken` for an email another " +
      'customer holds, `malformedRow` for a CSV row that could not be read, `unknown` for a message no rule ' +
      'of the current contract gives',
  })
  rule!: string;

  @ApiProperty({ enum: FAILURE_REASONS, example: 'validation' })
  reason!: string;

  @ApiProperty({ example: 412, description: 'Records of the run in this group' })
  count!: number;

  @ApiPropertyOptional({
    example: 'CUST00000017',
    nullable: true,
    type: String,
    description: 'The first of them to be quarantined',
  })
  example_customer_id!: string | null;

  @ApiProperty({ example: 'email must be an email', description: 'Its message' })
  example_message!: string;
}

export class FailureSummaryDto {
  @ApiProperty({ type: [FailureRuleGroupDto], description: 'The largest groups first, at most 100' })
  data!: FailureRuleGroupDto[];
}
