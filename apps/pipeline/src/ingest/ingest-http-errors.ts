import {
  BadGatewayException,
  ConflictException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { IngestLockLostError } from '@customer-pipeline/data-access';
import {
  IncrementalUnavailableError,
  RunFailedError,
  RunInProgressError,
  RunInterruptedError,
  RunNotFoundError,
  RunNotHeldError,
} from './engine/ingest-errors';
import { SourceError } from './sources/source-error';

/** The HTTP meaning of a run that could not start, be decided or finish; the body names the run. */
export function toHttpError(error: unknown): unknown {
  if (error instanceof RunInProgressError) {
    return new ConflictException({ message: error.message, error: 'Conflict', run_id: error.runId });
  }
  if (error instanceof RunNotHeldError) {
    return new ConflictException({ message: error.message, error: 'Conflict', run_id: error.runId });
  }
  if (error instanceof RunNotFoundError) return new NotFoundException(error.message);
  if (error instanceof IncrementalUnavailableError) return new ConflictException(error.message);
  if (error instanceof SourceError) return new BadGatewayException(error.message);
  if (error instanceof RunFailedError) {
    return new BadGatewayException({ message: error.message, error: 'Bad Gateway', run_id: error.runId });
  }
  if (error instanceof RunInterruptedError) {
    return new ServiceUnavailableException({
      message: error.message,
      error: 'Service Unavailable',
      run_id: error.runId,
    });
  }
  if (error instanceof IngestLockLostError) return new ServiceUnavailableException(error.message);
  return error;
}
