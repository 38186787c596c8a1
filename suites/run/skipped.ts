// The record of a case the plan does not send. Apart from the plan, which loads the generators: the
// execute stage writes these records, and it is loaded before the plan is.

import type { Case } from '../../generators/cases.ts';
import type { CaseRecord } from '../../reports/model.ts';
import { cite } from '../checks/index.ts';
import type { Skip } from './plan.ts';

export function skippedRecord(c: Case, skip: Skip): CaseRecord {
  return {
    id: c.id,
    suite: c.suite,
    kind: c.kind,
    effect: c.effect,
    description: c.description,
    rule: cite(c.ruleId),
    seed: c.seed,
    outcome: 'skipped',
    reason: skip.reason,
    enable: skip.enable,
    checks: [],
    failures: [],
  };
}
