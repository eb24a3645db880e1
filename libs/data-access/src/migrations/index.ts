import { InitialSchema1763769600000 } from './1763769600000-initial-schema';
import { RunProgressAndAnomalies1763856000000 } from './1763856000000-run-progress-and-anomalies';
import { UnloggedStaging1763942400000 } from './1763942400000-unlogged-staging';
import { JsonStaging1764028800000 } from './1764028800000-json-staging';
import { StagingWithoutForeignKey1764115200000 } from './1764115200000-staging-without-foreign-key';
import { DurableRuns1764288000000 } from './1764288000000-durable-runs';
import { IncrementalRuns1764374400000 } from './1764374400000-incremental-runs';
import { SoftDeletesAndLineage1764547200000 } from './1764547200000-soft-deletes-and-lineage';
import { ReadModel1764460800000 } from './1764460800000-read-model';
import { SummaryNotifies1764633600000 } from './1764633600000-summary-notifies';
import { HeldRunFacts1764720000000 } from './1764720000000-held-run-facts';

/** Listed rather than globbed, so that a bundled app carries every migration with it. */
export const MIGRATIONS = [
  InitialSchema1763769600000,
  RunProgressAndAnomalies1763856000000,
  UnloggedStaging1763942400000,
  JsonStaging1764028800000,
  StagingWithoutForeignKey1764115200000,
  DurableRuns1764288000000,
  IncrementalRuns1764374400000,
  ReadModel1764460800000,
  SoftDeletesAndLineage1764547200000,
  SummaryNotifies1764633600000,
  HeldRunFacts1764720000000,
];
