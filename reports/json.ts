// JSON reporter: the machine-readable record of a run.
// Keys are emitted in a fixed order (model order, unknown keys after, sorted) so two runs
// diff cleanly; cases are sorted by id with a locale-independent comparison.

import type { CaseRecord, RunReport } from './model.ts';
import { OUTCOMES } from './model.ts';

/** A report without wall-clock fields, for comparing two runs with the same seed. */
export type TimelessReport = Omit<RunReport, 'timestamp' | 'durationMs'>;

/** Code-unit order: the same on every machine, unlike localeCompare. */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const sortCases = (cases: readonly CaseRecord[]): CaseRecord[] => [...cases].sort((a, b) => byCodeUnit(a.id, b.id));

const CITATION = ['ruleId', 'table', 'parameter', 'text', 'inference'];
const ORDER: Record<string, string[]> = {
  report: ['schemaVersion', 'tool', 'node', 'timestamp', 'pageSha256', 'schemasSha256', 'target', 'seed', 'durationMs',
    'verdict', 'exitCode', 'inconclusiveReason', 'summary', 'coverage', 'waivers', 'notes', 'cases'],
  tool: ['name', 'version'],
  target: ['url', 'embedded'],
  summary: [...OUTCOMES, 'total'],
  coverage: ['status', 'hit', 'cases'],
  waiver: ['ruleId', 'reason', 'expires', 'expired', 'used'],
  case: ['id', 'suite', 'kind', 'description', 'rule', 'seed', 'outcome', 'reason', 'attempts', 'failures', 'checks',
    'request', 'response', 'curl'],
  check: ['check', 'outcome', 'messages', 'citations'],
  citation: CITATION,
  request: ['method', 'url', 'headers', 'body', 'bodyTruncated'],
  response: ['status', 'durationMs', 'headers', 'body', 'bodyTruncated'],
};

/** Copy `obj` with `order` keys first, then any others sorted; undefined values dropped. */
function ordered(obj: object, order: string[] = []): Record<string, unknown> {
  const src = obj as Record<string, unknown>;
  const rest = Object.keys(src).filter((k) => !order.includes(k)).sort(byCodeUnit);
  const out: Record<string, unknown> = {};
  for (const k of [...order, ...rest]) if (src[k] !== undefined) out[k] = src[k];
  return out;
}

function orderCase(c: CaseRecord): Record<string, unknown> {
  return ordered({
    ...c,
    rule: ordered(c.rule, ORDER.citation),
    checks: c.checks.map((r) => ordered({ ...r, citations: r.citations.map((x) => ordered(x, ORDER.citation)) }, ORDER.check)),
    request: c.request && ordered({ ...c.request, headers: ordered(c.request.headers) }, ORDER.request),
    response: c.response && ordered({ ...c.response, headers: ordered(c.response.headers) }, ORDER.response),
  }, ORDER.case);
}

/** Pretty (2-space) JSON with stable key order and cases sorted by id; ends with a newline. */
export function renderJson(report: RunReport | TimelessReport): string {
  const out = ordered({
    ...report,
    tool: ordered(report.tool, ORDER.tool),
    target: ordered(report.target, ORDER.target),
    summary: ordered(report.summary, ORDER.summary),
    coverage: [...report.coverage].sort((a, b) => a.status - b.status).map((c) => ordered(c, ORDER.coverage)),
    waivers: report.waivers.map((w) => ordered(w, ORDER.waiver)),
    cases: sortCases(report.cases).map(orderCase),
  }, ORDER.report);
  return JSON.stringify(out, null, 2) + '\n';
}

/** Deep copy without timestamp, durationMs and every response.durationMs. */
export function stripTimings(report: RunReport | TimelessReport): TimelessReport {
  const { timestamp: _t, durationMs: _d, ...rest } = structuredClone(report) as RunReport;
  for (const c of rest.cases) if (c.response) delete c.response.durationMs;
  return rest;
}
