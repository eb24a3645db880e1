import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  CustomerDto,
  CustomerPageDto,
  ErrorResponseDto,
  Page,
  PaginationQueryDto,
  toPage,
} from '@customer-pipeline/contracts';
import { InjectsFaults } from '../faults/injects-faults.decorator';
import { CustomerSource, ServedCustomer } from './customer-source';

@ApiTags('customers')
@Controller('customers')
@InjectsFaults()
export class CustomersController {
  constructor(private readonly source: CustomerSource) {}

  @Get()
  @ApiOperation({ summary: 'One page of customers, ordered by customer_id' })
  @ApiOkResponse({ type: CustomerPageDto, description: 'A page past the end has no data but the true total' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Bad or unknown paging parameter' })
  list(@Query() query: PaginationQueryDto): Page<ServedCustomer> {
    const customers = this.source.slice((query.page - 1) * query.limit, query.limit);
    return toPage(customers, this.source.total, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One customer by customer_id' })
  @ApiParam({ name: 'id', example: 'CUST001' })
  @ApiOkResponse({ type: CustomerDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  findOne(@Param('id') id: string): ServedCustomer {
    const customer = this.source.findById(id);
    if (!customer) throw new NotFoundException(`Customer ${id} not found`);
    return customer;
  }
}
