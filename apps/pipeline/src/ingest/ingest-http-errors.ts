import {
  applyDecorators,
  BadGatewayException,
  ConflictException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { IngestLockLostError } from '@customer-pipeline/data-access';
import { ApiErrorResponse } from '@customer-pipeline/http-runtime';
import {
  IncrementalUnavailableError,
  RunFailedError,
  RunInProgressError,
  RunInterruptedError,
  RunNotFoundError,
  RunNotHeldError,
  StagedPagesLostError,
} from './engine/ingest-errors';
import { SourceError } from './sources/source-error';

/** The HTTP meaning of a run that could not start, be decided or finish; the body names the run. */
export function toHttpError(error: unknown): unknown {
  if (error instanceof RunInProgressError) {
    return new ConflictException({ message: error.message, error: 'Conflict', run_id: error.runId });
  }
  if (error instanceof RunNotHeldError || error instanceof StagedPagesLostError) {
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

/** The 409 of a decision on a run that does not wait for one. */
export const ApiRunNotHeldResponse = () =>
  applyDecorators(
    ApiErrorResponse(
      409,
      'The run does not wait for review',
      'ingest run 7 is success, not waiting for review',
      {
        run_id: 7,
      },
    ),
  );

/** The 503 of a request that waits for a run: the process shuts down, or the database is out of reach. */
export const ApiRunInterruptedResponse = () =>
  applyDecorators(
    ApiErrorResponse(
      503,
      'The pipeline is shutting down: the run `run_id` goes on in the next pipeline process to take it; ' +
        'or the database cannot be reached (then with Retry-After, and no run_id)',
      'interrupted by shutdown; the run continues in the next pipeline process to take it',
      { run_id: 7 },
    ),
  );
