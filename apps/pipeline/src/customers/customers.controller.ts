import { Controller, Get, Logger, Param, Query, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse } from '@customer-pipeline/http-runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PassThrough } from 'node:stream';
import { ApiReadAccess } from '../auth/api-read-access.decorator';
import { UnthrottledWhen } from '../auth/read-throttler.guard';
import { PipelineConfig } from '../config/pipeline.config';
import { answerConditionally, entityTag, isNotModified } from './conditional-request';
import { CustomersService } from './customers.service';
import { CustomerDetailDto } from './dto/customer-detail.dto';
import { CustomerListPageDto } from './dto/customer-list-page.dto';
import { IncludeDeletedQueryDto } from './dto/include-deleted.query.dto';
import { ExportCustomersQueryDto } from './dto/export-customers.query.dto';
import { ListCustomersQueryDto } from './dto/list-customers.query.dto';
import { pageLinks } from './page-links';
import { ApiReadUnavailableResponse } from '../app/database-unavailable.filter';

const CACHE_HEADERS = {
  ETag: {
    description: 'The data version and the URL: the same until a run changes stored customers',
    schema: { type: 'string' },
  },
  'Cache-Control': {
    description: '`max-age=READ_CACHE_MAX_AGE_SECONDS, must-revalidate`',
    schema: { type: 'string' },
  },
};

const ApiIfNoneMatch = () =>
  ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'The ETag of an earlier answer: 304 without a body while stored customers are unchanged',
  });

const NOT_MODIFIED = { status: 304, description: 'Unchanged since the answer whose ETag was sent' };

const JSON_TYPE = 'application/json; charset=utf-8';

const EXPORT_TYPES = { ndjson: 'application/x-ndjson', csv: 'text/csv; charset=utf-8' };

/** The raw query string's parameters, before validation. */
const queryOf = (request: FastifyRequest) => request.query as Record<string, unknown>;

/** A keyset page without a search reads the table in index order at page-1 cost: a bulk read. */
const isCursorWalk = (request: FastifyRequest) =>
  queryOf(request)['after'] !== undefined && queryOf(request)['search'] === undefined;

@ApiTags('customers')
@Controller('customers')
export class CustomersController {
  private readonly logger = new Logger(CustomersController.name);
  private readonly maxAgeSeconds: number;

  constructor(
    private readonly customers: CustomersService,
    config: ConfigService<PipelineConfig, true>,
  ) {
    this.maxAgeSeconds = config.get('READ_CACHE_MAX_AGE_SECONDS', { infer: true });
  }

  @Get()
  @ApiReadAccess()
  @ApiOperation({
    summary: 'List stored customers',
    description:
      'One page of the stored customers, ordered by customer_id, optionally narrowed by a search or an ' +
      'exact email: by page number (`page`), or after a customer_id (`after`, keyset paging at the same ' +
      'cost at any depth). A page past the end has no data but the true total. `next_cursor` and the ' +
      '`Link` header say how to go on.',
  })
  @UnthrottledWhen(isCursorWalk)
  @ApiIfNoneMatch()
  @ApiOkResponse({
    type: CustomerListPageDto,
    description:
      'Stored customers ordered by customer_id. A keyset walk (`after`, no `search`) is not throttled.',
    headers: {
      ...CACHE_HEADERS,
      Link: {
        description: 'RFC 8288 links: first, prev, next and last (offset paging); first and next (`after`)',
        schema: { type: 'string' },
      },
    },
  })
  @ApiResponse(NOT_MODIFIED)
  @ApiErrorResponse(400, 'A paging or filter parameter is invalid', ['limit must not be greater than 100'])
  @ApiReadUnavailableResponse()
  async list(
    @Query() query: ListCustomersQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<string | undefined> {
    if (this.unchanged(request)) return this.notModified(request, response);
    const { body, page } = await this.customers.list(query, queryOf(request)['page'] !== undefined);
    response.header('Link', pageLinks(query, page));
    if (answerConditionally(request, response, entityTag(page.version, request), this.maxAgeSeconds)) return;
    response.type(JSON_TYPE);
    return body;
  }

  @Get('export')
  @ApiReadAccess({ throttled: false })
  @ApiOperation({
    summary: 'Export stored customers',
    description:
      'Every stored customer matching the filters, streamed straight from PostgreSQL in customer_id ' +
      'order: NDJSON (one customer per line, as the list serves it) or CSV with a header row of the field ' +
      'names.',
  })
  @ApiOkResponse({
    description:
      'Every stored customer matching the filters, in customer_id order, streamed from one snapshot in ' +
      'the seed field names. Not throttled; at most an eighth of the read pool exports at once.',
    content: {
      [EXPORT_TYPES.ndjson]: { schema: { type: 'string', description: 'One customer as JSON per line' } },
      [EXPORT_TYPES.csv]: {
        schema: { type: 'string', description: 'A header row, then one row per customer' },
      },
    },
  })
  @ApiErrorResponse(400, 'A format or filter parameter is invalid', [
    'format must be one of the following values: ndjson, csv',
  ])
  @ApiReadUnavailableResponse()
  @UnthrottledWhen(() => true)
  async export(@Query() query: ExportCustomersQueryDto, @Res() reply: FastifyReply): Promise<void> {
    const body = new PassThrough();
    try {
      await this.customers.export(query, body, () => {
        void reply
          .type(EXPORT_TYPES[query.format])
          .header('Content-Disposition', `attachment; filename="customers.${query.format}"`)
          .header('Cache-Control', 'no-store')
          .send(body);
      });
    } catch (error) {
      // Before the first byte, the error answers as usual; after it, the status is sent already, and the
      // only honest signal left is to cut the stream short.
      if (!reply.sent) throw error;
      this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'export cut short');
      reply.raw.destroy();
    }
  }

  @Get(':id')
  @ApiReadAccess()
  @ApiOperation({
    summary: 'Get one stored customer',
    description:
      "The customer as it was last ingested, in the source API's wire format, with its source and the run " +
      'that last changed it. A deleted customer answers 404 unless include_deleted=true.',
  })
  @ApiParam({ name: 'id', description: 'The customer_id', example: 'CUST001' })
  @ApiIfNoneMatch()
  @ApiOkResponse({
    type: CustomerDetailDto,
    description: 'The stored customer, with its source and the run that last changed it',
    headers: CACHE_HEADERS,
  })
  @ApiResponse(NOT_MODIFIED)
  @ApiErrorResponse(400, 'The id holds a NUL byte', ['id must not contain a NUL byte (%00)'])
  @ApiErrorResponse(404, 'No customer has this customer_id', 'Customer CUST999 not found')
  @ApiReadUnavailableResponse()
  async get(
    @Param('id') id: string,
    @Query() query: IncludeDeletedQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<string | undefined> {
    if (this.unchanged(request)) return this.notModified(request, response);
    const { json, version } = await this.customers.get(id, query.include_deleted);
    if (answerConditionally(request, response, entityTag(version, request), this.maxAgeSeconds)) return;
    response.type(JSON_TYPE);
    return json;
  }

  /** Whether the client's tag is current by what this process knows, without asking the database. */
  private unchanged(request: FastifyRequest): boolean {
    const version = this.customers.knownVersion();
    return version !== undefined && isNotModified(request, entityTag(version, request));
  }

  private notModified(request: FastifyRequest, response: FastifyReply): undefined {
    const version = this.customers.knownVersion() as number;
    answerConditionally(request, response, entityTag(version, request), this.maxAgeSeconds);
    return undefined;
  }
}
