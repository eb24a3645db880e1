import { CustomerPage } from '@customer-pipeline/data-access';
import { ListCustomersQueryDto } from './dto/list-customers.query.dto';

const LIST_PATH = '/api/customers';

function link(query: ListCustomersQueryDto, position: Record<string, string>, rel: string): string {
  const params = new URLSearchParams();
  for (const name of ['search', 'email'] as const) {
    const value = query[name];
    if (value !== undefined) params.set(name, value);
  }
  params.set('limit', String(query.limit));
  for (const [name, value] of Object.entries(position)) params.set(name, value);
  return `<${LIST_PATH}?${params}>; rel="${rel}"`;
}

/**
 * RFC 8288 links from one answer to its neighbours: `first`, `prev`, `next` and `last` with offset paging,
 * `first` and `next` with keyset paging (which knows no page numbers). Filters and limit are kept.
 */
export function pageLinks(query: ListCustomersQueryDto, page: CustomerPage): string {
  const links: string[] = [];
  if (query.after !== undefined) {
    links.push(link(query, {}, 'first'));
    if (page.hasMore && page.lastId !== null) links.push(link(query, { after: page.lastId }, 'next'));
    return links.join(', ');
  }
  const lastPage = Math.max(1, Math.ceil(page.total / query.limit));
  links.push(link(query, { page: '1' }, 'first'));
  if (query.page > 1) links.push(link(query, { page: String(Math.min(query.page - 1, lastPage)) }, 'prev'));
  if (page.hasMore) links.push(link(query, { page: String(query.page + 1) }, 'next'));
  links.push(link(query, { page: String(lastPage) }, 'last'));
  return links.join(', ');
}
