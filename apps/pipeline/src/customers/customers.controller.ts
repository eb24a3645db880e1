import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CustomerDto, CustomerPageDto, ErrorResponseDto, Page } from '@customer-pipeline/contracts';
import { ApiReadAccess } from '../auth/api-read-access.decorator';
import { CustomersService } from './customers.service';
import { ListCustomersQueryDto } from './dto/list-customers.query.dto';

@ApiReadAccess()
@ApiTags('customers')
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  @ApiOkResponse({ type: CustomerPageDto, description: 'Stored customers ordered by customer_id' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A paging or filter parameter is invalid' })
  list(@Query() query: ListCustomersQueryDto): Promise<Page<CustomerDto>> {
    return this.customers.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CustomerDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id') id: string): Promise<CustomerDto> {
    return this.customers.get(id);
  }
}
