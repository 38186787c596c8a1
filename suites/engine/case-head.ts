// The fields every record of a case starts with, whatever became of the case (sent, skipped, never
// run): one place, so the records of the three never disagree on how a case is named and cited.

import type { Case } from '../../generators/cases.ts';
import type { CaseRecord } from '../../reports/model.ts';
import { cite } from '../checks/index.ts';

export type CaseHead = Pick<CaseRecord, 'id' | 'suite' | 'kind' | 'effect' | 'description' | 'rule' | 'seed'>;

/** The head of a case's record; `rule` as cited for this run (AK/SK mode words some rules otherwise). */
export const caseHead = (c: Case, rule: CaseRecord['rule'] = cite(c.ruleId)): CaseHead => ({
  id: c.id,
  suite: c.suite,
  kind: c.kind,
  effect: c.effect,
  description: c.description,
  rule,
  seed: c.seed,
});

/** The head of a record already made, for a record that replaces it. */
export const headOf = ({ id, suite, kind, effect, description, rule, seed }: CaseRecord): CaseHead => ({
  id,
  suite,
  kind,
  effect,
  description,
  rule,
  seed,
});
