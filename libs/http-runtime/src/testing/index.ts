export * from './openapi-contract';
export * from './free-port';
