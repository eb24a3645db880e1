/** Another run is queued or running; `runId` is that run, when it could be found. */
export class RunInProgressError extends Error {
  constructor(readonly runId: number | null) {
    super(runId === null ? 'an ingest is already running' : `ingest run ${runId} is already running`);
    this.name = 'RunInProgressError';
  }
}

/** A run waits for review; no other run starts until someone approves or rejects it. */
export class RunHeldError extends RunInProgressError {
  constructor(runId: number) {
    super(runId);
    this.message = `ingest run ${runId} needs review: approve or reject it (POST /api/ingest/runs/${runId}/approve or /reject) first`;
    this.name = 'RunHeldError';
  }
}

/** An incremental run was asked of a source that cannot list what changed, and no fallback is configured. */
export class IncrementalUnavailableError extends Error {
  constructor(reason: string) {
    super(`an incremental ingest needs a source that lists changes (updated_since): ${reason}`);
    this.name = 'IncrementalUnavailableError';
  }
}

/** Approve or reject asked of a run that does not wait for review. */
export class RunNotHeldError extends Error {
  constructor(
    readonly runId: number,
    status: string,
  ) {
    super(`ingest run ${runId} is ${status}, not waiting for review`);
    this.name = 'RunNotHeldError';
  }
}

/** No run has this id. */
export class RunNotFoundError extends Error {
  constructor(runId: number) {
    super(`Ingest run ${runId} not found`);
    this.name = 'RunNotFoundError';
  }
}

/** The process is shutting down; the run goes back to the queue and another process continues it. */
export class RunInterruptedError extends Error {
  constructor(readonly runId: number | null = null) {
    super('interrupted by shutdown; the run continues in the next pipeline process to take it');
    this.name = 'RunInterruptedError';
  }
}

/**
 * The run cannot succeed as things stand (the source failed past every retry, or refused a request); it ends
 * `failed` with this reason, and its staged pages wait for the next ingest to resume them.
 */
export class RunFailedError extends Error {
  constructor(
    message: string,
    readonly runId: number | null = null,
  ) {
    super(message);
    this.name = 'RunFailedError';
  }
}

/**
 * A held run whose staged pages are not all there any more: staging is unlogged, so a PostgreSQL crash
 * empties it. Applying what is left would apply part of the run, and mark deleted every customer the lost
 * pages held. Approval answers 409; an approved run that finds it so fails, and the next ingest starts afresh.
 */
export class StagedPagesLostError extends RunFailedError {
  constructor(runId: number) {
    super(
      `ingest run ${runId} cannot be applied: its staged pages are gone (staging does not survive a ` +
        `PostgreSQL crash); ingest again (reject the run first while it waits for review)`,
      runId,
    );
    this.name = 'StagedPagesLostError';
  }
}

/** Another coordinator holds the ingest lock: this job is retried after its delay. */
export class CoordinatorBusyError extends Error {
  constructor() {
    super('another coordinator holds the ingest lock');
    this.name = 'CoordinatorBusyError';
  }
}
