// Stage "plan": which cases this run holds, built from the seed and what the target offers.
// Flags that take effect here: --seed, --case, --cases, and the ids (--vpc-channel-id,
// --instance-ids, --forbidden-token) through the target's facts.

import { selectCases, type Case } from '../../generators/cases.ts';
import type { CaseContextInfo } from '../engine/run-case.ts';
import type { ConformanceOptions } from './options.ts';
import type { TargetFacts } from './target.ts';

export interface Plan {
  cases: Case[]; // in id order
  available: CaseContextInfo['available']; // which preconditions the cases' needs can rely on
}

export function planRun(
  o: Pick<ConformanceOptions, 'seed' | 'caseIds' | 'stressRepeats'>,
  facts: TargetFacts,
): Plan | { problem: string } {
  const cases = selectCases(
    {
      seed: o.seed,
      vpcChannelIds: facts.vpcChannelIds,
      instanceIds: facts.instanceIds,
      hasForbiddenToken: facts.hasForbiddenToken,
      stressRepeats: o.stressRepeats ?? 0,
    },
    o.caseIds,
  );
  if (o.caseIds?.length && cases.length === 0)
    return { problem: `no case with id ${o.caseIds.join(', ')} (see --list-cases)` };
  return {
    cases,
    available: {
      vpcChannelId: facts.vpcChannelIds.length > 0,
      instanceIds: facts.instanceIds.length > 0,
      forbiddenToken: facts.hasForbiddenToken,
    },
  };
}
