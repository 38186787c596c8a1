// The rule coverage matrix: for every rule of the registry, what the run established about it.
// failed: some case broke it; passed: it applied to data the run received (or a case aimed at it)
// and held; not_observed: cases whose answers it speaks of ran, but it applied to nothing they
// carried; not_tested: nothing the run sent exercised it; waived: a user's active waiver names it.
//
// Each record leaves a few numbers (indexes into the catalogue), so tallying a run of any size
// holds no records.

import type { CaseBrief, CaseRecord, RuleCoverage, RuleStatus } from './model.ts';

/** Which answers a rule speaks of: statuses whose tables hold it, every answer, or only cases aimed at it. */
export type RuleScope = number[] | 'answer' | 'case';
export interface RuleInfo {
  id: string;
  table: string;
  parameter: string;
  scope: RuleScope;
}

/** What one record says about the rules, as catalogue indexes. */
export interface RuleMarks {
  failed: Uint16Array;
  held: Uint16Array;
  aimed: number; // the case's own rule, when the case was sent; -1 otherwise
}

const NONE = new Uint16Array(0);

export function marksOf(rec: CaseRecord, index: ReadonlyMap<string, number>): RuleMarks {
  const failed = new Set<number>();
  const held = new Set<number>();
  const at = (id: string) => index.get(id);
  if (rec.outcome !== 'error')
    for (const k of rec.checks) {
      if (k.outcome === 'failed') for (const c of k.citations) failed.add(at(c.ruleId) ?? -1);
      for (const id of k.established ?? []) held.add(at(id) ?? -1);
    }
  failed.delete(-1);
  held.delete(-1);
  const pack = (s: Set<number>) => (s.size ? Uint16Array.from(s) : NONE);
  return { failed: pack(failed), held: pack(held), aimed: rec.request ? (at(rec.rule.ruleId) ?? -1) : -1 };
}

/** Counts marks in case-id order, so "the first case" of a rule is the same on every run. */
export class RuleTally {
  readonly index: ReadonlyMap<string, number>;
  private failed: number[];
  private passed: number[];
  private example: (string | undefined)[];
  private held: (string | undefined)[];
  private aimed = new Set<number>();
  private statuses = new Set<number>();

  constructor(
    private catalogue: readonly RuleInfo[],
    private waived: ReadonlySet<string>,
  ) {
    this.index = new Map(catalogue.map((r, i) => [r.id, i]));
    this.failed = catalogue.map(() => 0);
    this.passed = catalogue.map(() => 0);
    this.example = catalogue.map(() => undefined);
    this.held = catalogue.map(() => undefined);
  }

  add(brief: CaseBrief, marks: RuleMarks | undefined): void {
    if (brief.status !== undefined) this.statuses.add(brief.status);
    if (!marks) return;
    if (marks.aimed >= 0) this.aimed.add(marks.aimed);
    for (const i of marks.failed) {
      this.failed[i]++;
      this.example[i] ??= brief.id;
    }
    for (const i of marks.held) {
      this.passed[i]++;
      this.held[i] ??= brief.id;
    }
  }

  private exercised(i: number): boolean {
    const scope = this.catalogue[i].scope;
    if (scope === 'case') return this.aimed.has(i);
    if (scope === 'answer') return this.statuses.size > 0;
    return scope.some((s) => this.statuses.has(s));
  }

  private status(i: number): RuleStatus {
    if (this.waived.has(this.catalogue[i].id)) return 'waived';
    if (this.failed[i] > 0) return 'failed';
    if (this.passed[i] > 0) return 'passed';
    return this.exercised(i) ? 'not_observed' : 'not_tested';
  }

  result(): RuleCoverage[] {
    return this.catalogue.map((r, i) => {
      const example = this.example[i] ?? this.held[i];
      return {
        ruleId: r.id,
        table: r.table,
        parameter: r.parameter,
        status: this.status(i),
        failed: this.failed[i],
        passed: this.passed[i],
        ...(example ? { example } : {}),
      };
    });
  }
}

/** Page order: Table 1, Table 2, ... Table 15, then the other places rules come from, by name. */
export function byPageTable(a: string, b: string): number {
  const n = (t: string) => /^Table (\d+)$/.exec(t)?.[1];
  const [x, y] = [n(a), n(b)];
  if (x && y) return Number(x) - Number(y);
  if (x || y) return x ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The matrix grouped by page table, tables in page order, rules in catalogue order. */
export function byTable(entries: readonly RuleCoverage[]): [string, RuleCoverage[]][] {
  const groups = new Map<string, RuleCoverage[]>();
  for (const e of entries) groups.set(e.table, [...(groups.get(e.table) ?? []), e]);
  return [...groups].sort(([a], [b]) => byPageTable(a, b));
}

export const RULE_STATUS_WORDS: Record<RuleStatus, string> = {
  failed: 'failed',
  waived: 'waived',
  passed: 'passed',
  not_observed: 'not observed',
  not_tested: 'not tested',
};

/** What each status means, in the words every report uses. */
export const RULE_STATUS_MEANING: Record<RuleStatus, string> = {
  failed: 'some case broke it',
  waived: 'an active waiver names it',
  passed: 'it applied to what the run sent or received, and held',
  not_observed: 'the answers it speaks of came, but it applied to nothing in them',
  not_tested: 'nothing the run sent exercised it',
};

export function statusCounts(entries: readonly RuleCoverage[]): Record<RuleStatus, number> {
  const out = { failed: 0, waived: 0, passed: 0, not_observed: 0, not_tested: 0 };
  for (const e of entries) out[e.status]++;
  return out;
}

/** Failed rules, most-broken first (ties by id): what a CI log shows first. */
export function failingRules(entries: readonly RuleCoverage[]): RuleCoverage[] {
  return entries
    .filter((e) => e.status === 'failed')
    .sort((a, b) => b.failed - a.failed || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}
