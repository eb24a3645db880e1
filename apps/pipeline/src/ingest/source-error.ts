/** The source could not be read; `message` says why in words an operator can act on. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}
