// The record of a case the plan does not send. Apart from the plan, which loads the generators: the
// execute stage writes these records, and it is loaded before the plan is.

import type { Case } from '../../generators/cases.ts';
import type { CaseRecord } from '../../reports/model.ts';
import { caseHead } from '../engine/case-head.ts';
import type { Skip } from './plan.ts';

export function skippedRecord(c: Case, skip: Skip): CaseRecord {
  return {
    ...caseHead(c),
    outcome: 'skipped',
    reason: skip.reason,
    enable: skip.enable,
    checks: [],
    failures: [],
  };
}
