// Stage "plan": which cases this run holds and, for each, whether it is sent or skipped and why.
// Consent before side effects is decided here, from what a conformant server would do with each
// case (its effect and reach, derived in generators/cases.ts), and so are the preconditions.
// Flags that take effect here: --seed, --case, --repeat, --examples, --shard, --no-sync, --allow-sync-all,
// and the ids and credentials (--vpc-channel-id, --instance-ids, --forbidden-token) through the target's facts.

import { createHash } from 'node:crypto';
import { type Case, type CaseContext, type Need, selectCases } from '../../generators/cases.ts';
import type { ShardInfo, SkipGroup } from '../../reports/model.ts';
import type { ConformanceOptions } from './options.ts';
import type { TargetFacts } from './target.ts';

/** Why a case is not sent, and what would let it be: grouped by both in the reports. */
export interface Skip {
  reason: string;
  enable: string;
}

export interface PlannedCase {
  case: Case;
  skip?: Skip;
}

export interface Plan {
  cases: PlannedCase[]; // in id order; with --shard, this shard's slice only
  shard?: ShardInfo;
}

export type PlanOptions = Pick<
  ConformanceOptions,
  'seed' | 'caseIds' | 'stressRepeats' | 'examples' | 'shard' | 'noSync' | 'allowSyncAll'
>;

const NEED_FLAGS: Record<Exclude<Need, 'forbiddenToken'>, string> = {
  vpcChannelId: '--vpc-channel-id',
  instanceIds: '--instance-ids',
};

/** Everything that keeps a case from being sent, in this order: missing preconditions, --no-sync, consent to sync "all". */
function blockersOf(c: Case, facts: TargetFacts, o: PlanOptions): Skip[] {
  const out: Skip[] = [];
  const missingIds = c.needs.filter(
    (n): n is keyof typeof NEED_FLAGS =>
      (n === 'vpcChannelId' && facts.vpcChannelIds.length === 0) ||
      (n === 'instanceIds' && facts.instanceIds.length === 0),
  );
  if (missingIds.length)
    out.push({
      reason:
        c.suite === 'negative'
          ? 'coercible negatives need real ids: a lenient server acts on one only when its other fields are real'
          : 'positive and sync cases need real ids to mean anything',
      enable: `give ${missingIds.map((n) => NEED_FLAGS[n]).join(' and ')}`,
    });
  const aksk = facts.authMode === 'aksk';
  const flag = aksk ? '--forbidden-ak and --forbidden-sk' : '--forbidden-token';
  if (c.needs.includes('forbiddenToken') && !facts.hasForbiddenToken)
    out.push({
      reason: `403 not tested: no ${aksk ? 'key pair' : 'token'} without permission was given`,
      enable: `give ${flag}`,
    });
  else if (c.needs.includes('forbiddenToken') && facts.forbiddenTokenRejected)
    out.push({
      reason: `the forbidden ${aksk ? 'key pair' : 'token'} was rejected as unknown (its preflight was answered 401)`,
      enable: `give a valid ${aksk ? 'key pair' : 'token'} without permission as ${flag}`,
    });
  if (o.noSync && c.effect !== 'none')
    out.push({
      reason: `--no-sync: a conformant server ${c.effect === 'sync' ? 'must' : 'may'} carry it out (effect ${c.effect})`,
      enable: 'drop --no-sync, in a project where syncs are harmless',
    });
  if (c.reach === 'all' && !facts.embedded && !o.allowSyncAll)
    out.push({
      reason: 'would synchronize channels or instances you did not name (a field left out reads as "all")',
      enable: 'give --allow-sync-all',
    });
  return out;
}

/** A skipped case shows its first blocker as the reason, and everything that would let it run. */
function skipOf(c: Case, facts: TargetFacts, o: PlanOptions): Skip | undefined {
  const blockers = blockersOf(c, facts, o);
  if (blockers.length === 0) return undefined;
  const enables = blockers.map((b) => b.enable);
  const gives = enables.every((e) => e.startsWith('give '));
  return {
    reason: blockers[0].reason,
    enable: gives ? `give ${enables.map((e) => e.slice('give '.length)).join(' and ')}` : enables.join('; and '),
  };
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

// The cases of the last plan, by what they are built from: a run plans twice (the --case check before
// anything starts, then with the target's facts), and building the cases is the plan's costly part.
let last: { key: string; cases: Case[] } | undefined;

function casesOf(ctx: CaseContext, caseIds: readonly string[] | undefined): Case[] {
  const key = JSON.stringify([ctx, caseIds]);
  if (last?.key !== key) last = { key, cases: selectCases(ctx, caseIds) };
  return last.cases;
}

/** Lets the last plan's cases go (a run calls it at its end, so that a process of many runs holds none). */
export function forgetPlannedCases(): void {
  last = undefined;
}

export function planRun(o: PlanOptions, facts: TargetFacts): Plan | { problem: string } {
  const cases = casesOf(
    {
      seed: o.seed,
      vpcChannelIds: facts.vpcChannelIds,
      instanceIds: facts.instanceIds,
      hasForbiddenToken: facts.hasForbiddenToken,
      authMode: facts.authMode,
      noSync: o.noSync,
      stressRepeats: o.stressRepeats ?? 0,
      examples: o.examples ?? 0,
    },
    o.caseIds,
  );
  if (o.caseIds?.length && cases.length === 0)
    return { problem: `no case with id ${o.caseIds.join(', ')} (see --list-cases)` };
  const sliced = sliceCases(cases, o.shard);
  return {
    cases: sliced.cases.map((c) => {
      const skip = skipOf(c, facts, o);
      return skip ? { case: c, skip } : { case: c };
    }),
    ...(sliced.shard ? { shard: sliced.shard } : {}),
  };
}

export { skippedRecord } from './skipped.ts';

/** The plan's skips grouped as a report groups them: by reason and what would enable them, largest first. */
export function planGroups(plan: Plan): SkipGroup[] {
  const groups = new Map<string, SkipGroup>();
  for (const { case: c, skip } of plan.cases) {
    if (!skip) continue;
    const key = JSON.stringify([skip.reason, skip.enable]);
    const g = groups.get(key) ?? { outcome: 'skipped', ...skip, count: 0, cases: [] };
    g.count++;
    g.cases.push(c.id);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
