// Stage "plan": which cases this run holds, built from the seed and what the target offers.
// Flags that take effect here: --seed, --case, --repeat, --examples, --shard, and the ids (--vpc-channel-id,
// --instance-ids, --forbidden-token) through the target's facts.

import { createHash } from 'node:crypto';
import { selectCases, type Case } from '../../generators/cases.ts';
import type { ShardInfo } from '../../reports/model.ts';
import type { CaseContextInfo } from '../engine/run-case.ts';
import type { ConformanceOptions } from './options.ts';
import type { TargetFacts } from './target.ts';

export interface Plan {
  cases: Case[]; // in id order; with --shard, this shard's slice only
  available: CaseContextInfo['available']; // which preconditions the cases' needs can rely on
  shard?: ShardInfo;
}

/** A case's shard (1..n): a function of its id alone, so a new case never moves the others. */
export function shardOf(id: string, count: number): number {
  return (createHash('sha256').update(id).digest().readUInt32BE(0) % count) + 1;
}

/** What every shard of one run shares: the whole case set (ids and per-case seeds), as a digest. */
export function casesDigest(cases: readonly { id: string; seed: number }[]): string {
  const h = createHash('sha256');
  for (const c of [...cases].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) h.update(`${c.id}\t${c.seed}\n`);
  return h.digest('hex');
}

/** The i-th of n disjoint slices of the cases; a case is the unit, so its requests stay together. */
export function sliceCases(cases: Case[], shard: { index: number; count: number } | undefined) {
  if (!shard) return { cases };
  const info: ShardInfo = { ...shard, cases: cases.length, casesSha256: casesDigest(cases) };
  return { cases: cases.filter((c) => shardOf(c.id, shard.count) === shard.index), shard: info };
}

export function planRun(
  o: Pick<ConformanceOptions, 'seed' | 'caseIds' | 'stressRepeats' | 'examples' | 'shard'>,
  facts: TargetFacts,
): Plan | { problem: string } {
  const cases = selectCases(
    {
      seed: o.seed,
      vpcChannelIds: facts.vpcChannelIds,
      instanceIds: facts.instanceIds,
      hasForbiddenToken: facts.hasForbiddenToken,
      authMode: facts.authMode,
      stressRepeats: o.stressRepeats ?? 0,
      examples: o.examples ?? 0,
    },
    o.caseIds,
  );
  if (o.caseIds?.length && cases.length === 0)
    return { problem: `no case with id ${o.caseIds.join(', ')} (see --list-cases)` };
  return {
    ...sliceCases(cases, o.shard),
    available: {
      vpcChannelId: facts.vpcChannelIds.length > 0,
      instanceIds: facts.instanceIds.length > 0,
      forbiddenToken: facts.hasForbiddenToken,
    },
  };
}
