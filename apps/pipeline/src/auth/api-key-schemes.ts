import type { ApiKeyScheme } from '@customer-pipeline/http-runtime';

/** The OpenAPI security scheme of each key, as the routes that may need it name it. */
export const READ_KEY_SCHEME = 'read_api_key';
export const INGEST_KEY_SCHEME = 'ingest_api_key';

/** Both keys as OpenAPI schemes; one that is not set documents no requirement, so its routes read as open. */
export function apiKeySchemes(configured: { read: boolean; ingest: boolean }): ApiKeyScheme[] {
  return [
    {
      name: READ_KEY_SCHEME,
      description:
        'READ_API_KEY, an opaque key chosen by the operator (not a JWT), sent as `Authorization: Bearer <key>`',
      configured: configured.read,
    },
    {
      name: INGEST_KEY_SCHEME,
      description:
        'INGEST_API_KEY, an opaque key chosen by the operator (not a JWT), sent as `Authorization: Bearer <key>`',
      configured: configured.ingest,
    },
  ];
}
