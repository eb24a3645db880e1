import { INestApplication, INestApplicationContext, Logger } from '@nestjs/common';

export interface GracefulShutdownOptions {
  /** After this long the process exits with code 1 whatever is still running. */
  timeoutMs?: number;
  signals?: NodeJS.Signals[];
}

/**
 * Closes the app on SIGTERM or SIGINT and exits 0. Nest's own shutdown hooks re-raise the signal after
 * closing, which ends the process with code 143: orchestrators and `npm start` read that as a crash.
 * It first stops accepting connections, then runs every `beforeApplicationShutdown` hook (an ingest stops at
 * its next page and is marked interrupted), lets in-flight requests finish, then closes the database pool.
 */
/**
 * Nest closes the HTTP server only after the shutdown hooks, so a pipeline winding down an ingest would go
 * on accepting requests meanwhile (and start new work). Requests already in flight still get their answer.
 */
function stopListening(app: INestApplicationContext): void {
  if (!('getHttpServer' in app)) return;
  (app as INestApplication).getHttpServer().close();
}

export function installGracefulShutdown(
  app: INestApplicationContext,
  options: GracefulShutdownOptions = {},
): void {
  const { timeoutMs = 10_000, signals = ['SIGTERM', 'SIGINT'] } = options;
  const logger = new Logger('Shutdown');
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: closing`);
    setTimeout(() => {
      logger.error(`still closing after ${timeoutMs} ms: exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    try {
      stopListening(app);
      await app.close();
      process.exit(0);
    } catch (error) {
      logger.error(error instanceof Error ? error.stack : String(error));
      process.exit(1);
    }
  };
  for (const signal of signals) process.on(signal, () => void shutdown(signal));
}
