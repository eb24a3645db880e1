import { Injectable, NotFoundException } from '@nestjs/common';
import { CustomerDto, Page, toPage } from '@customer-pipeline/contracts';
import { CustomerReadRepository } from '@customer-pipeline/data-access';
import { toCustomerDto } from './customer.mapper';
import { ListCustomersQueryDto } from './dto/list-customers.query.dto';

@Injectable()
export class CustomersService {
  constructor(private readonly customers: CustomerReadRepository) {}

  async list(query: ListCustomersQueryDto): Promise<Page<CustomerDto>> {
    const { rows, total } = await this.customers.findPage(query);
    return toPage(rows.map(toCustomerDto), total, query);
  }

  async get(customerId: string): Promise<CustomerDto> {
    const customer = await this.customers.findById(customerId);
    if (!customer) throw new NotFoundException(`Customer ${customerId} not found`);
    return toCustomerDto(customer);
  }
}
