export * from './lib/customer.dto';
export * from './lib/compiled-validator';
export * from './lib/customer-rules';
export * from './lib/customer-record.validator';
export * from './lib/error-response.dto';
export * from './lib/page';
export * from './lib/pagination-query.dto';
