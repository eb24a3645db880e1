import { ApiProperty } from '@nestjs/swagger';

export class OutageStateDto {
  @ApiProperty({ example: false, description: 'Whether customers requests are being answered 503' })
  down!: boolean;
}
