import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { CustomerPage, CustomerReadRepository } from '@customer-pipeline/data-access';
import type { Writable } from 'node:stream';
import { ExportCustomersQueryDto } from './dto/export-customers.query.dto';
import { ListCustomersQueryDto } from './dto/list-customers.query.dto';

/** One answer of the customer list: the body as JSON text, and the page it was made of. */
export interface CustomerListAnswer {
  body: string;
  page: CustomerPage;
}

@Injectable()
export class CustomersService {
  constructor(private readonly customers: CustomerReadRepository) {}

  /** The data version this process knows without asking the database, if it knows one. */
  knownVersion(): number | undefined {
    return this.customers.knownSummary()?.version;
  }

  /**
   * A page as `{data,total,page,limit,has_more,next_cursor}`. The JSON of the customers comes from
   * PostgreSQL as it is; only the envelope is written here.
   */
  async list(query: ListCustomersQueryDto, pageGiven: boolean): Promise<CustomerListAnswer> {
    if (query.after !== undefined && pageGiven) {
      throw new BadRequestException(['page cannot be combined with after']);
    }
    const page = await this.customers.findPage({
      limit: query.limit,
      offset: (query.page - 1) * query.limit,
      after: query.after,
      search: query.search,
      email: query.email,
      lastRunId: query.last_run_id,
      includeDeleted: query.include_deleted,
    });
    const nextCursor = page.hasMore ? page.lastId : null;
    const pageNumber = query.after === undefined ? query.page : null;
    const body =
      `{"data":${page.json},"total":${page.total},"page":${pageNumber},"limit":${query.limit},` +
      `"has_more":${page.hasMore},"next_cursor":${JSON.stringify(nextCursor)}}`;
    return { body, page };
  }

  /** The customer as wire-format JSON text with its lineage, and the data version it was read at. */
  async get(customerId: string, includeDeleted: boolean): Promise<{ json: string; version: number }> {
    const { json, version } = await this.customers.findById(customerId, includeDeleted);
    if (json === null) throw new NotFoundException(`Customer ${customerId} not found`);
    return { json, version };
  }

  /** Streams the export into `sink`; `beforeFirstByte` sets the headers of a successful answer. */
  export(query: ExportCustomersQueryDto, sink: Writable, beforeFirstByte: () => void): Promise<void> {
    const filter = {
      search: query.search,
      email: query.email,
      lastRunId: query.last_run_id,
      includeDeleted: query.include_deleted,
    };
    return this.customers.export(query.format, filter, sink, beforeFirstByte);
  }
}
