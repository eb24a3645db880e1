export * from './openapi-contract';
