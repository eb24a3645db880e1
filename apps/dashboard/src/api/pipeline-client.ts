import type { ApiErrorBody } from './pipeline-types';

/** Which key a route needs when keys are set: READ_API_KEY for reads, INGEST_API_KEY for writes. */
export type KeyKind = 'read' | 'ingest';

const STORAGE_KEYS: Record<KeyKind, string> = {
  read: 'customer-pipeline.read-key',
  ingest: 'customer-pipeline.ingest-key',
};

/** Kept for this browser tab's session only: closing it forgets the keys. */
export const keyStore = {
  get: (kind: KeyKind): string | null => sessionStorage.getItem(STORAGE_KEYS[kind]),
  set: (kind: KeyKind, key: string): void => sessionStorage.setItem(STORAGE_KEYS[kind], key),
};

/** An answer other than 2xx, with the message the pipeline gave. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ApiErrorBody>,
  ) {
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    super(message ?? `HTTP ${status}`);
  }
}

/** 401: the route needs a key this page has not been given, or the one it has is wrong. */
export class KeyRequiredError extends ApiError {
  constructor(
    readonly kind: KeyKind,
    status: number,
    body: Partial<ApiErrorBody>,
  ) {
    super(status, body);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, kind: KeyKind): Promise<T> {
  const key = keyStore.get(kind);
  const response = await fetch(path, {
    method,
    headers: { Accept: 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) throw new KeyRequiredError(kind, response.status, body);
  if (!response.ok) throw new ApiError(response.status, body);
  return body as T;
}

/** The pipeline's public API, same origin; nothing else is called. */
export const pipelineApi = {
  read: <T>(path: string) => call<T>('GET', path, 'read'),
  write: <T>(path: string) => call<T>('POST', path, 'ingest'),
};
