export * from './lib/configure-http-app';
export * from './lib/http-exception.filter';
export * from './lib/environment/env-variable.decorator';
export * from './lib/environment/environment-table';
export * from './lib/environment/validate-environment';
export * from './lib/graceful-shutdown';
