import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CustomerDto, CustomerPageDto, Page, toPage } from '@customer-pipeline/contracts';
import { ApiErrorResponse } from '@customer-pipeline/http-runtime';
import { InjectsFaults } from '../faults/injects-faults.decorator';
import { CustomerSource, ServedCustomer } from './customer-source';
import { ListCustomersQueryDto, updatedSinceMs } from './list-customers.query.dto';

@ApiTags('customers')
@Controller('customers')
@InjectsFaults()
export class CustomersController {
  constructor(private readonly source: CustomerSource) {}

  @Get()
  @ApiOperation({
    summary: 'One page of customers, ordered by customer_id, or by updated_at from updated_since on',
    description:
      'The page and limit the pipeline reads the source with; every request may meet the failure modes. ' +
      'With updated_since, only the customers updated at or after it, ordered by (updated_at, customer_id), ' +
      'and total counts those.',
  })
  @ApiOkResponse({ type: CustomerPageDto, description: 'A page past the end has no data but the true total' })
  @ApiErrorResponse(400, 'Bad or unknown paging parameter, or an updated_since without an offset', [
    'limit must not be greater than 100',
    'updated_since must be an ISO-8601 timestamp with an offset or Z, such as 2025-03-01T09:00:00.000Z',
  ])
  list(@Query() query: ListCustomersQueryDto): Page<ServedCustomer> {
    const listing =
      query.updated_since === undefined
        ? this.source
        : this.source.updatedSince(updatedSinceMs(query.updated_since));
    return toPage(listing.slice((query.page - 1) * query.limit, query.limit), listing.total, query);
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
