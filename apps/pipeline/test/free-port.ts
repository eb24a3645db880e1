// Where the pipeline's specs have always found it; it lives with the other HTTP test helpers.
export { freePort } from '@customer-pipeline/http-runtime/testing';
