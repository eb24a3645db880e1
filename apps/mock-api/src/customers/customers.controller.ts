import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CustomerDto, CustomerPageDto, Page, PaginationQueryDto, toPage } from '@customer-pipeline/contracts';
import { ApiErrorResponse } from '@customer-pipeline/http-runtime';
import { InjectsFaults } from '../faults/injects-faults.decorator';
import { CustomerSource, ServedCustomer } from './customer-source';

@ApiTags('customers')
@Controller('customers')
@InjectsFaults()
export class CustomersController {
  constructor(private readonly source: CustomerSource) {}

  @Get()
  @ApiOperation({
    summary: 'One page of customers, ordered by customer_id',
    description:
      'The page and limit the pipeline reads the source with; every request may meet the failure modes.',
  })
  @ApiOkResponse({ type: CustomerPageDto, description: 'A page past the end has no data but the true total' })
  @ApiErrorResponse(400, 'Bad or unknown paging parameter', ['limit must not be greater than 100'])
  list(@Query() query: PaginationQueryDto): Page<ServedCustomer> {
    const customers = this.source.slice((query.page - 1) * query.limit, query.limit);
    return toPage(customers, this.source.total, query);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One customer by customer_id',
    description: 'The bare customer, as the list serves it; subject to the failure modes too.',
  })
  @ApiParam({ name: 'id', description: 'The customer_id', example: 'CUST001' })
  @ApiOkResponse({ type: CustomerDto, description: 'The customer' })
  @ApiErrorResponse(400, 'The id holds a NUL byte', ['id must not contain a NUL byte (%00)'])
  @ApiErrorResponse(404, 'No customer has this customer_id', 'Customer CUST999 not found')
  findOne(@Param('id') id: string): ServedCustomer {
    const customer = this.source.findById(id);
    if (!customer) throw new NotFoundException(`Customer ${id} not found`);
    return customer;
  }
}
