import { Injectable, Logger } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { FRESHNESS_STATES } from './freshness.dto';
import { FreshnessService } from './freshness.service';

/**
 * `ingest_freshness_state{state}`: 1 for the state the data is in, 0 for the others, read afresh at every
 * scrape (one indexed query), in every process alike. Beside `ingest_last_success_age_seconds`, which says
 * how old; this says whether that is too old for the schedule.
 */
@Injectable()
export class FreshnessMetrics {
  private readonly logger = new Logger(FreshnessMetrics.name);

  constructor(registry: Registry, freshness: FreshnessService) {
    const logger = this.logger;
    new Gauge({
      name: 'ingest_freshness_state',
      help: 'Freshness of the stored data against INGEST_CRON: 1 for the current state, 0 for the others',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const current = await freshness.assess().then(
          (report) => report.state,
          (error: unknown) => {
            // No state at all is the honest answer while the database cannot tell.
            logger.warn(`freshness unknown: ${error instanceof Error ? error.message : String(error)}`);
            return undefined;
          },
        );
        for (const state of FRESHNESS_STATES) this.set({ state }, state === current ? 1 : 0);
      },
    });
  }
}
