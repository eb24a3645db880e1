import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PaginationQueryDto } from './pagination-query.dto';

function parse(query: Record<string, unknown>) {
  const dto = plainToInstance(PaginationQueryDto, query);
  const messages = validateSync(dto).flatMap((error) => Object.values(error.constraints ?? {}));
  return { dto, messages };
}

describe('PaginationQueryDto', () => {
  it('defaults to page 1 of 10', () => {
    expect(parse({})).toEqual({ dto: { page: 1, limit: 10 }, messages: [] });
  });

  it('reads integers given as query text', () => {
    expect(parse({ page: '3', limit: '100' }).dto).toEqual({ page: 3, limit: 100 });
  });

  it('accepts the last page it allows', () => {
    expect(parse({ page: '1000000000', limit: '100' })).toEqual({
      dto: { page: 1_000_000_000, limit: 100 },
      messages: [],
    });
  });

  it.each([
    ['page', '1000000001', 'page must not be greater than 1000000000'],
    ['page', '100000000000000000000', 'page must not be greater than 1000000000'],
    ['page', '0', 'page must not be less than 1'],
    ['page', '-2', 'page must not be less than 1'],
    ['page', '1.5', 'page must be an integer number'],
    ['page', 'abc', 'page must be an integer number'],
    ['page', '0x10', 'page must be an integer number'],
    ['page', '', 'page must be an integer number'],
    ['page', ['1', '2'], 'page must be an integer number'],
    ['limit', '0', 'limit must not be less than 1'],
    ['limit', '101', 'limit must not be greater than 100'],
    ['limit', '2e1', 'limit must be an integer number'],
  ])('refuses %s=%p with a message naming it', (name, value, message) => {
    expect(parse({ [name]: value }).messages).toContain(message);
  });
});
