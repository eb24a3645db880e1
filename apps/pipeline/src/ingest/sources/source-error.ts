/** The source could not be read; `message` says why in words an operator can act on. */
export class SourceError extends Error {
  constructor(
    message: string,
    /** Worth asking again: network errors, timeouts, 408, 429 and 5xx. */
    readonly retryable: boolean,
    /** How long the source asked us to wait (a `Retry-After` header), if it did. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}
