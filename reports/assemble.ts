// Case records -> one report: waivers applied, outcomes counted, documented statuses covered,
// and the verdict with its exit code (0 conformant, 1 not conformant, 2 could not judge).
//
// Records are seen once, in any order, and then re-read by reference when a reporter asks for
// them, so a run of any size is assembled holding one brief per case, not its records.

import {
  OUTCOMES,
  type CaseBrief,
  type CaseRecord,
  type Outcome,
  type ReportHead,
  type ReportStream,
  type RunReport,
} from './model.ts';
import { marksOf, RuleTally, type RuleInfo, type RuleMarks } from './rule-coverage.ts';
import { briefOf, byCodeUnit } from './stream.ts';

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
}

export interface AssembleInput extends AssembleOptions {
  records: CaseRecord[];
}

/** Records as [record, reference] pairs, and how to read a record again from its reference (e.g. a JsonLines file). */
export interface RecordSource<Ref> {
  records: Iterable<[CaseRecord, Ref]>;
  load(ref: Ref): CaseRecord;
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

/** A shard that sent nothing is no verdict on its own: "nothing was tested" is judged on the merged report. */
function shardNote(shard: RunReport['shard'], s: Record<Outcome, number>): string[] {
  if (!shard) return [];
  const sent = OUTCOMES.filter((o) => o !== 'skipped' && o !== 'not_run').reduce((n, o) => n + s[o], 0);
  return sent > 0
    ? []
    : [
        `shard ${shard.index}/${shard.count} sent no case (its slice is empty or wholly skipped); whether anything was tested is judged on the merged report`,
      ];
}

export function assembleStream<Ref>(input: AssembleOptions & RecordSource<Ref>): ReportStream {
  const expired = (w: Waiver) => !!w.expires && Date.parse(w.expires) < input.now.getTime();
  const active = new Map(input.waivers.filter((w) => !expired(w)).map((w) => [w.ruleId, w]));
  const skeletons = new Map<string, CaseRecord>();
  for (const s of input.expected) skeletons.set(s.id, s);

  // One look at each record: the last record of an id wins; records of unknown ids are ignored.
  const tally = new RuleTally(input.rules, new Set(active.keys()));
  const seen = new Map<
    string,
    { ref: Ref; brief: CaseBrief; waived: string[] | null; marks: RuleMarks; notes?: string[]; inconclusive?: string }
  >();
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
      // Throttling is worded below; any other cause (a TLS failure mid-run) speaks for itself.
      inconclusive: rec.inconclusive
        ? rec.inconclusive === 'throttled'
          ? `the target kept throttling (${rec.reason ?? rec.inconclusive})`
          : (rec.reason ?? rec.inconclusive)
        : undefined,
    });
  }

  const briefs: CaseBrief[] = [];
  const used = new Map<string, number>();
  const notes = new Set<string>();
  let unrecorded = 0;
  let throttled: string | undefined;
  for (const id of [...skeletons.keys()].sort(byCodeUnit)) {
    const s = seen.get(id);
    if (!s) {
      unrecorded++;
      briefs.push(briefOf(skeletons.get(id)!));
      continue;
    }
    briefs.push(s.brief);
    tally.add(s.brief, s.marks);
    for (const w of s.waived ?? []) used.set(w, (used.get(w) ?? 0) + 1);
    for (const n of s.notes ?? []) notes.add(n);
    if (throttled === undefined && s.inconclusive !== undefined) throttled = s.inconclusive;
  }

  // A case that produced no record was never judged (the runner killed or lost it): that is ours to explain.
  const internalError =
    input.internalError ??
    (unrecorded
      ? `${unrecorded} case(s) produced no record (killed by the test runner or lost); the run cannot be judged`
      : undefined);
  const summary = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const b of briefs) summary[b.outcome]++;
  const coverage = input.documentedStatuses.map((status) => {
    const n = briefs.filter((b) => b.status === status).length;
    return { status, hit: n > 0, cases: n };
  });
  const exitCode: 0 | 1 | 2 =
    summary.failed + summary.timeout > 0 ? 1 : internalError || summary.error > 0 || throttled !== undefined ? 2 : 0;
  const head: ReportHead = {
    schemaVersion: 1,
    ...input.meta,
    timestamp: input.now.toISOString(),
    verdict: exitCode === 0 ? 'conformant' : exitCode === 1 ? 'not_conformant' : 'inconclusive',
    exitCode,
    ...(exitCode === 2
      ? {
          inconclusiveReason:
            internalError ?? throttled ?? `${summary.error} case(s) hit our own bug; see their records`,
        }
      : {}),
    summary: { ...summary, total: briefs.length },
    coverage,
    ruleCoverage: tally.result(),
    waivers: input.waivers.map((w) => ({
      ruleId: w.ruleId,
      reason: w.reason,
      ...(w.expires ? { expires: w.expires } : {}),
      expired: expired(w),
      used: used.get(w.ruleId) ?? 0,
    })),
    notes: [...notes, ...shardNote(input.meta.shard, summary)].sort(),
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
