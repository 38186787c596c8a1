// Case records -> one RunReport: waivers applied, outcomes counted, documented statuses covered,
// and the verdict with its exit code (0 conformant, 1 not conformant, 2 could not judge).

import { OUTCOMES, type CaseRecord, type Outcome, type RunReport } from './model.ts';
import { sortCases } from './json.ts';

export interface Waiver {
  ruleId: string;
  reason: string;
  expires?: string; // ISO date; an expired waiver stops waiving and is reported
}

export interface AssembleInput {
  records: CaseRecord[];
  expected: CaseRecord[]; // a not_run skeleton of every case of the run; one without a record keeps it
  waivers: Waiver[];
  documentedStatuses: number[];
  now: Date;
  meta: Pick<RunReport, 'tool' | 'node' | 'pageSha256' | 'schemasSha256' | 'target' | 'seed' | 'durationMs'>;
  internalError?: string; // our own failure (e.g. the test runner crashed)
}

/** A failed case whose every failing citation is waived becomes "waived". */
function applyWaivers(rec: CaseRecord, active: Map<string, Waiver>, used: Map<string, number>): CaseRecord {
  if (rec.outcome !== 'failed') return rec;
  const failing = rec.checks.filter((c) => c.outcome === 'failed');
  const cited = failing.flatMap((c) => c.citations.map((ct) => ct.ruleId));
  if (cited.length === 0 || !cited.every((id) => active.has(id))) return rec;
  for (const id of new Set(cited)) used.set(id, (used.get(id) ?? 0) + 1);
  return { ...rec, outcome: 'waived', reason: [...new Set(cited)].map((id) => `${id}: ${active.get(id)!.reason}`).join('; ') };
}

export function assembleReport(input: AssembleInput): RunReport {
  const expired = (w: Waiver) => !!w.expires && Date.parse(w.expires) < input.now.getTime();
  const active = new Map(input.waivers.filter((w) => !expired(w)).map((w) => [w.ruleId, w]));
  const used = new Map<string, number>();
  const byId = new Map(input.records.map((r) => [r.id, r]));
  const records: CaseRecord[] = [];
  let unrecorded = 0;
  for (const skeleton of input.expected) {
    const rec = byId.get(skeleton.id);
    if (!rec) unrecorded++;
    records.push(rec ? applyWaivers(rec, active, used) : skeleton);
  }
  // A case that produced no record was never judged (the runner killed or lost it): that is ours to explain.
  const internalError = input.internalError ?? (unrecorded ? `${unrecorded} case(s) produced no record (killed by the test runner or lost); the run cannot be judged` : undefined);
  const summary = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const r of records) summary[r.outcome]++;
  const coverage = input.documentedStatuses.map((status) => {
    const n = records.filter((r) => r.response?.status === status).length;
    return { status, hit: n > 0, cases: n };
  });
  const throttled = records.find((r) => r.inconclusive);
  const exitCode: 0 | 1 | 2 = summary.failed + summary.timeout > 0 ? 1 : internalError || summary.error > 0 || throttled ? 2 : 0;
  const notes = [...new Set(records.flatMap((r) => r.notes ?? []))].sort();
  return {
    schemaVersion: 1,
    ...input.meta,
    timestamp: input.now.toISOString(),
    verdict: exitCode === 0 ? 'conformant' : exitCode === 1 ? 'not_conformant' : 'inconclusive',
    exitCode,
    ...(exitCode === 2
      ? { inconclusiveReason: internalError ?? (throttled ? `the target kept throttling (${throttled.reason})` : `${summary.error} case(s) hit our own bug; see their records`) }
      : {}),
    summary: { ...summary, total: records.length },
    coverage,
    waivers: input.waivers.map((w) => ({ ruleId: w.ruleId, reason: w.reason, ...(w.expires ? { expires: w.expires } : {}), expired: expired(w), used: used.get(w.ruleId) ?? 0 })),
    notes,
    cases: sortCases(records),
  };
}
