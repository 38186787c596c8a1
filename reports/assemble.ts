// Case records -> one report: waivers applied, outcomes counted, documented statuses covered, what
// was not tested and why, what answers said was synchronized, and the verdict with its exit code
// (0 conformant, 1 not conformant, 2 could not judge; a failure wins over could-not-judge).
//
// Records are seen once, in any order, and then re-read by reference when a reporter asks for
// them, so a run of any size is assembled holding one brief per case, not its records.

import {
  OUTCOMES,
  type CaseBrief,
  type CaseRecord,
  type Effect,
  type Outcome,
  type PreflightRecord,
  type ReportHead,
  type ReportStream,
  type RunReport,
  type SideEffects,
  type SkipGroup,
  type SyncedPair,
} from './model.ts';
import { marksOf, RuleTally, type RuleInfo, type RuleMarks } from './rule-coverage.ts';
import { emptyShardNote } from './shard-words.ts';
import { briefOf, byCodeUnit } from './stream.ts';
import { POLICY_DOC } from '../schemas/policy.ts';

export interface Waiver {
  ruleId: string;
  reason: string;
  expires?: string; // ISO date; an expired waiver stops waiving and is reported
}

interface AssembleOptions {
  expected: Iterable<CaseRecord>; // a not_run skeleton of every case of the run; one without a record keeps it
  waivers: Waiver[];
  documentedStatuses: number[];
  rules: readonly RuleInfo[]; // the registry's rules and the answers each speaks of, for the coverage matrix
  now: Date;
  meta: Pick<RunReport, 'tool' | 'node' | 'pageSha256' | 'schemasSha256' | 'target' | 'seed' | 'durationMs'> &
    Partial<Pick<RunReport, 'warnings' | 'shard'>>;
  internalError?: string; // our own failure (e.g. the test runner crashed)
  preflight?: PreflightRecord[]; // the token checks before the cases
  warnings?: string[]; // about the run, found before the cases (e.g. a 2xx to a preflight)
  named?: { vpcChannelIds: string[]; instanceIds: string[] }; // the ids the user gave, to mark side effects
  failOnSkip?: boolean; // a skipped case makes the run exit 2
}

export interface AssembleInput extends AssembleOptions {
  records: CaseRecord[];
}

/** Records as [record, reference] pairs, and how to read a record again from its reference (e.g. a JsonLines file). */
export interface RecordSource<Ref> {
  records: Iterable<[CaseRecord, Ref]>;
  load(ref: Ref): CaseRecord;
}

/** What the first look at a record keeps: enough to count and group, and where to read it again. */
interface Seen<Ref> {
  ref: Ref;
  brief: CaseBrief;
  waived: string[] | null;
  marks: RuleMarks;
  notes?: string[];
  synced?: SyncedPair[];
  reason?: string;
  enable?: string;
  inconclusive?: { kind: NonNullable<CaseRecord['inconclusive']>; reason: string };
}

/** Outcomes of cases that were sent and judged. */
const JUDGED: readonly Outcome[] = ['passed', 'failed', 'timeout', 'warning', 'waived'];
const EFFECTS: readonly Effect[] = ['sync', 'maybe', 'none'];
const GROUP_IDS = 100; // case ids listed per skip group (the records hold them all)
const MAX_PAIRS = 1000; // distinct side-effect pairs listed; more are only counted
const MAX_PAIRS_COUNTED = 100_000;

function effectCounts(briefs: readonly CaseBrief[]): ReportHead['effects'] {
  const out = Object.fromEntries(EFFECTS.map((e) => [e, { cases: 0, judged: 0 }])) as ReportHead['effects'];
  for (const b of briefs) {
    if (!b.effect) continue;
    out[b.effect].cases++;
    if (JUDGED.includes(b.outcome)) out[b.effect].judged++;
  }
  return out;
}

/** Skipped and not-run cases by (outcome, reason, enable), in the order their first case comes. */
function skipGroups() {
  const groups = new Map<string, SkipGroup>();
  return {
    add(id: string, outcome: SkipGroup['outcome'], why: string | undefined, enable?: string) {
      const reason = why ?? outcome;
      const key = JSON.stringify([outcome, reason, enable ?? null]);
      const g = groups.get(key) ?? { outcome, reason, ...(enable ? { enable } : {}), count: 0, cases: [] };
      g.count++;
      if (g.cases.length < GROUP_IDS) g.cases.push(id);
      groups.set(key, g);
    },
    result: (): SkipGroup[] => [...groups.values()].sort((a, b) => b.count - a.count || byCodeUnit(a.reason, b.reason)),
  };
}

/** Every (channel, instance) pair answers reported as synchronized, with how many cases reported it. */
function sideEffects(named: AssembleOptions['named']) {
  const pairs = new Map<string, SideEffects['pairs'][number]>();
  let more = 0;
  const channels = new Set(named?.vpcChannelIds ?? []);
  const instances = new Set(named?.instanceIds ?? []);
  return {
    add(p: SyncedPair, id: string) {
      const key = JSON.stringify([p.channel, p.instance]);
      const known = pairs.get(key);
      if (known) known.cases++;
      else if (pairs.size < MAX_PAIRS_COUNTED)
        pairs.set(key, { ...p, cases: 1, firstCase: id, named: channels.has(p.channel) && instances.has(p.instance) });
      else more++;
    },
    result(): SideEffects {
      const all = [...pairs.values()].sort(
        (a, b) => byCodeUnit(a.channel, b.channel) || byCodeUnit(a.instance, b.instance),
      );
      return {
        given: { vpcChannelIds: [...channels], instanceIds: [...instances] },
        pairs: all.slice(0, MAX_PAIRS),
        more: more + Math.max(0, all.length - MAX_PAIRS),
      };
    },
  };
}

/** The rule ids that waive a failed case: every failing citation must be actively waived. */
function waivedBy(rec: CaseRecord, active: Map<string, Waiver>): string[] | null {
  if (rec.outcome !== 'failed') return null;
  const cited = rec.checks.filter((c) => c.outcome === 'failed').flatMap((c) => c.citations.map((ct) => ct.ruleId));
  if (cited.length === 0 || !cited.every((id) => active.has(id))) return null;
  return [...new Set(cited)];
}

/** A failed case whose every failing citation is waived becomes "waived". */
function applyWaivers(rec: CaseRecord, active: Map<string, Waiver>): CaseRecord {
  const ids = waivedBy(rec, active);
  return ids
    ? { ...rec, outcome: 'waived', reason: ids.map((id) => `${id}: ${active.get(id)!.reason}`).join('; ') }
    : rec;
}

export function assembleStream<Ref>(input: AssembleOptions & RecordSource<Ref>): ReportStream {
  const expired = (w: Waiver) => !!w.expires && Date.parse(w.expires) < input.now.getTime();
  const active = new Map(input.waivers.filter((w) => !expired(w)).map((w) => [w.ruleId, w]));
  const skeletons = new Map<string, CaseRecord>();
  for (const s of input.expected) skeletons.set(s.id, s);

  // One look at each record: the last record of an id wins; records of unknown ids are ignored.
  const tally = new RuleTally(input.rules, new Set(active.keys()));
  const seen = new Map<string, Seen<Ref>>();
  for (const [rec, ref] of input.records) {
    if (!skeletons.has(rec.id)) continue;
    const waived = waivedBy(rec, active);
    const brief = briefOf(waived ? { ...rec, outcome: 'waived' } : rec);
    seen.set(rec.id, {
      ref,
      brief,
      waived,
      marks: marksOf(rec, tally.index),
      notes: rec.notes,
      synced: rec.synced,
      ...(rec.outcome === 'skipped' || rec.outcome === 'not_run' ? { reason: rec.reason, enable: rec.enable } : {}),
      ...(rec.inconclusive ? { inconclusive: { kind: rec.inconclusive, reason: rec.reason ?? rec.inconclusive } } : {}),
    });
  }

  const briefs: CaseBrief[] = [];
  const used = new Map<string, number>();
  const notes = new Set<string>();
  const groups = skipGroups();
  const effects = sideEffects(input.named);
  const stopped: Partial<Record<NonNullable<CaseRecord['inconclusive']>, string>> = {};
  let unrecorded = 0;
  for (const id of [...skeletons.keys()].sort(byCodeUnit)) {
    const s = seen.get(id);
    if (!s) {
      unrecorded++;
      const sk = skeletons.get(id)!;
      briefs.push(briefOf(sk));
      groups.add(id, 'not_run', sk.reason, sk.enable);
      continue;
    }
    briefs.push(s.brief);
    tally.add(s.brief, s.marks);
    for (const w of s.waived ?? []) used.set(w, (used.get(w) ?? 0) + 1);
    for (const n of s.notes ?? []) notes.add(n);
    for (const p of s.synced ?? []) effects.add(p, id);
    if (s.brief.outcome === 'skipped' || s.brief.outcome === 'not_run')
      groups.add(id, s.brief.outcome, s.reason, s.enable);
    if (s.inconclusive) stopped[s.inconclusive.kind] ??= s.inconclusive.reason;
  }

  // A case that produced no record was never judged (the runner killed or lost it): that is ours to explain.
  const internalError =
    input.internalError ??
    (unrecorded
      ? `${unrecorded} case(s) produced no record (killed by the test runner or lost); the run cannot be judged`
      : undefined);
  const summary = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const b of briefs) summary[b.outcome]++;
  const judged = JUDGED.reduce((n, o) => n + summary[o], 0);
  const coverage = input.documentedStatuses.map((status) => {
    const n = briefs.filter((b) => b.status === status).length;
    return { status, hit: n > 0, cases: n };
  });
  const couldNotJudge =
    internalError ??
    (stopped.credential !== undefined ? `the credential ended the run: ${stopped.credential}` : undefined) ??
    stopped.tls ?? // a TLS failure or a proxy's refusal mid-run speaks for itself
    stopped.proxy ??
    (stopped.throttled !== undefined ? `the target kept throttling (${stopped.throttled})` : undefined) ??
    (summary.error > 0 ? `${summary.error} case(s) hit our own bug; see their records` : undefined) ??
    // A shard that sent nothing says so in a note: "nothing was tested" is judged on the merged report.
    (judged === 0 && !input.meta.shard
      ? `nothing was tested: no case was sent and judged (${summary.skipped} skipped, ${summary.not_run} not run; see what would enable them)`
      : undefined) ??
    (input.failOnSkip && summary.skipped > 0
      ? `${summary.skipped} case(s) skipped and --fail-on-skip is set (see what would enable them)`
      : undefined);
  // Precedence everywhere: a failure found (1), then could not judge (2), then conformant (0).
  const exitCode: 0 | 1 | 2 = summary.failed + summary.timeout > 0 ? 1 : couldNotJudge ? 2 : 0;
  const warnings = [...(input.meta.warnings ?? []), ...(input.warnings ?? [])];
  if (stopped.credential !== undefined && !warnings.some((w) => w.startsWith('the credential ended the run')))
    warnings.push(
      "the credential ended the run (token expired or revoked): the cases after it were not run, and none is reported as the API's failure for it",
    );
  const head: ReportHead = {
    schemaVersion: 1,
    ...input.meta,
    policies: POLICY_DOC,
    timestamp: input.now.toISOString(),
    verdict: exitCode === 0 ? 'conformant' : exitCode === 1 ? 'not_conformant' : 'inconclusive',
    exitCode,
    ...(exitCode === 2 ? { inconclusiveReason: couldNotJudge } : {}),
    warnings,
    judged,
    summary: { ...summary, total: briefs.length },
    effects: effectCounts(briefs),
    coverage,
    ruleCoverage: tally.result(),
    preflight: input.preflight ?? [],
    sideEffects: effects.result(),
    skipGroups: groups.result(),
    ...(input.failOnSkip ? { failOnSkip: true as const } : {}),
    waivers: input.waivers.map((w) => ({
      ruleId: w.ruleId,
      reason: w.reason,
      ...(w.expires ? { expires: w.expires } : {}),
      expired: expired(w),
      used: used.get(w.ruleId) ?? 0,
    })),
    notes: [...notes, ...[emptyShardNote({ shard: input.meta.shard, summary })].filter((n) => n !== undefined)].sort(),
  };
  return {
    head,
    briefs,
    *cases(pick) {
      for (const b of briefs) {
        if (pick && !pick(b)) continue;
        const s = seen.get(b.id);
        yield s ? applyWaivers(input.load(s.ref), active) : skeletons.get(b.id)!;
      }
    },
  };
}

/** The whole report in memory (tests, small runs): the records are their own references. */
export function assembleReport(input: AssembleInput): RunReport {
  const stream = assembleStream({
    ...input,
    records: input.records.map((r): [CaseRecord, CaseRecord] => [r, r]),
    load: (r) => r,
  });
  return { ...stream.head, cases: [...stream.cases()] };
}
