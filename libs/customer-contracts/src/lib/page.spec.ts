import { toPage } from './page';

describe('toPage', () => {
  it('wraps items with the total and the paging that produced them', () => {
    expect(toPage(['a', 'b'], 12, { page: 2, limit: 2 })).toEqual({
      data: ['a', 'b'],
      total: 12,
      page: 2,
      limit: 2,
    });
  });
});
