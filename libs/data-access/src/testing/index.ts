export * from './test-database';
export * from './ingest-fixture';
