/** Another ingest holds the lock; `runId` is the run it is doing, when it could be found. */
export class RunInProgressError extends Error {
  constructor(readonly runId: number | null) {
    super(runId === null ? 'an ingest is already running' : `ingest run ${runId} is already running`);
    this.name = 'RunInProgressError';
  }
}

/** The process is shutting down; the run stops where it is and can be resumed. */
export class RunInterruptedError extends Error {
  constructor() {
    super('interrupted by shutdown; the next ingest resumes this run');
    this.name = 'RunInterruptedError';
  }
}
