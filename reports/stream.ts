// An in-memory report seen as a ReportStream, so one set of renderers serves both the reports the
// tests build and the records file of a run.

import type { CaseBrief, CaseRecord, ReportStream, RunReport } from './model.ts';
import type { TimelessReport } from './json.ts';

/** Code-unit order: the same on every machine, unlike localeCompare. */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const sortCases = (cases: readonly CaseRecord[]): CaseRecord[] =>
  [...cases].sort((a, b) => byCodeUnit(a.id, b.id));

/** The time a case took: its one response's, or the sum of its exchanges'. */
export const durationOf = (c: CaseRecord): number | undefined =>
  c.exchanges ? c.exchanges.reduce((t, x) => t + (x.durationMs ?? 0), 0) : c.response?.durationMs;

export const briefOf = (c: CaseRecord): CaseBrief => ({
  id: c.id,
  suite: c.suite,
  outcome: c.outcome,
  ...(c.effect ? { effect: c.effect } : {}),
  ...(c.response ? { status: c.response.status, durationMs: durationOf(c) } : {}),
});

// Overloads on the two concrete report types: a generic Omit<R, 'cases'> loses the optional markers, and
// a consumer's tsconfig with exactOptionalPropertyTypes (tsc --init's) would refuse this file's types.
export function streamOf(report: RunReport): ReportStream<Omit<RunReport, 'cases'>>;
export function streamOf(report: TimelessReport): ReportStream<Omit<TimelessReport, 'cases'>>;
export function streamOf(report: RunReport | TimelessReport): ReportStream<Omit<TimelessReport, 'cases'>> {
  const { cases, ...head } = report;
  const sorted = sortCases(cases);
  return {
    head,
    briefs: sorted.map(briefOf),
    *cases(pick) {
      for (const c of sorted) if (!pick || pick(briefOf(c))) yield c;
    },
  };
}
