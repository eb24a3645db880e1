import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CustomerEntity } from './customer.entity';

export interface CustomerFilter {
  page: number;
  limit: number;
  /** Case-insensitive substring of first name, last name or email. */
  search?: string;
  /** Exact email, compared case-insensitively as the unique index does. */
  email?: string;
}

/** LIKE treats % and _ as wildcards; a user searching for "a_b" means those characters. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

@Injectable()
export class CustomerReadRepository {
  constructor(@InjectRepository(CustomerEntity) private readonly customers: Repository<CustomerEntity>) {}

  async findPage(filter: CustomerFilter): Promise<{ rows: CustomerEntity[]; total: number }> {
    const query = this.customers.createQueryBuilder('c').orderBy('c.customer_id', 'ASC');
    if (filter.email !== undefined) query.andWhere('lower(c.email) = lower(:email)', { email: filter.email });
    if (filter.search !== undefined) {
      query.andWhere(
        '(c.first_name ILIKE :pattern OR c.last_name ILIKE :pattern OR c.email ILIKE :pattern)',
        {
          pattern: likePattern(filter.search),
        },
      );
    }
    const [rows, total] = await query
      .offset((filter.page - 1) * filter.limit)
      .limit(filter.limit)
      .getManyAndCount();
    return { rows, total };
  }

  findById(customerId: string): Promise<CustomerEntity | null> {
    return this.customers.findOneBy({ customer_id: customerId });
  }

  count(): Promise<number> {
    return this.customers.count();
  }
}
