import { Injectable, NotFoundException } from '@nestjs/common';
import { customerRuleOf } from '@customer-pipeline/contracts';
import {
  FailureGroup,
  IngestFailureSummaryRepository,
  IngestRunRepository,
} from '@customer-pipeline/data-access';
import { FailureRuleGroupDto, FailureSummaryDto } from './failure-summary.dto';

/** Groups read from the database, the largest first; a contract has a few dozen rules. */
export const MAX_FAILURE_GROUPS = 100;

/** The rule a stored message stands for: stored failures keep messages, the summary names rules. */
function ruleOf(group: FailureGroup): { field: string; rule: string } {
  if (group.reason === 'malformed') return { field: '(line)', rule: 'malformedRow' };
  const field = group.field ?? '(record)';
  if (group.reason === 'email_conflict') return { field, rule: 'emailTaken' };
  return { field, rule: customerRuleOf(field, group.message ?? '') ?? 'unknown' };
}

/** A run's quarantined records grouped by field and rule, for the dashboard's failures view. */
@Injectable()
export class FailureSummaryService {
  constructor(
    private readonly runs: IngestRunRepository,
    private readonly summaries: IngestFailureSummaryRepository,
  ) {}

  async summarize(runId: number): Promise<FailureSummaryDto> {
    if (!(await this.runs.findById(runId))) throw new NotFoundException(`Ingest run ${runId} not found`);
    // A rule can give several messages (a length rule says "shorter" or "longer"): those groups merge, and
    // the first, the largest, gives the example.
    const merged = new Map<string, FailureRuleGroupDto>();
    for (const group of await this.summaries.groupsOfRun(runId, MAX_FAILURE_GROUPS)) {
      const { field, rule } = ruleOf(group);
      const key = JSON.stringify([group.reason, field, rule]);
      const known = merged.get(key);
      if (known) known.count += group.count;
      else
        merged.set(key, {
          field,
          rule,
          reason: group.reason,
          count: group.count,
          example_customer_id: group.example_customer_id,
          example_message: group.example_message,
        });
    }
    return { data: [...merged.values()].sort((a, b) => b.count - a.count) };
  }
}
