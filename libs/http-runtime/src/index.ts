export * from './lib/configure-http-app';
export * from './lib/http-exception.filter';
