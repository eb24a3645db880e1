import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CustomerDto, CustomerPageDto, Page } from '@customer-pipeline/contracts';
import { ApiErrorResponse } from '@customer-pipeline/http-runtime';
import { ApiReadAccess } from '../auth/api-read-access.decorator';
import { CustomersService } from './customers.service';
import { ListCustomersQueryDto } from './dto/list-customers.query.dto';

@ApiReadAccess()
@ApiTags('customers')
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  @ApiOperation({
    summary: 'List stored customers',
    description:
      'One page of the stored customers, ordered by customer_id, optionally narrowed by a search or an ' +
      'exact email. A page past the end has no data but the true total.',
  })
  @ApiOkResponse({ type: CustomerPageDto, description: 'Stored customers ordered by customer_id' })
  @ApiErrorResponse(400, 'A paging or filter parameter is invalid', ['limit must not be greater than 100'])
  list(@Query() query: ListCustomersQueryDto): Promise<Page<CustomerDto>> {
    return this.customers.list(query);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Get one stored customer',
    description: "The customer as it was last ingested, in the source API's wire format.",
  })
  @ApiParam({ name: 'id', description: 'The customer_id', example: 'CUST001' })
  @ApiOkResponse({ type: CustomerDto, description: 'The stored customer' })
  @ApiErrorResponse(400, 'The id holds a NUL byte', ['id must not contain a NUL byte (%00)'])
  @ApiErrorResponse(404, 'No customer has this customer_id', 'Customer CUST999 not found')
  get(@Param('id') id: string): Promise<CustomerDto> {
    return this.customers.get(id);
  }
}
