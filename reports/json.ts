// JSON reporter: the machine-readable record of a run.
// Keys are emitted in a fixed order (model order, unknown keys after, sorted) so two runs
// diff cleanly; cases are sorted by id with a locale-independent comparison.

import type { CaseRecord, RecordedRequest, RecordedResponse, ReportStream, RunReport } from './model.ts';
import { OUTCOMES } from './model.ts';
import { byCodeUnit, streamOf } from './stream.ts';

/** A report without wall-clock fields, for comparing two runs with the same seed. */
export type TimelessReport = Omit<RunReport, 'timestamp' | 'durationMs'>;

const CITATION = ['ruleId', 'table', 'parameter', 'text', 'inference'];
const ORDER: Record<string, string[]> = {
  report: [
    'schemaVersion',
    'tool',
    'node',
    'timestamp',
    'pageSha256',
    'schemasSha256',
    'policies',
    'target',
    'seed',
    'durationMs',
    'verdict',
    'exitCode',
    'inconclusiveReason',
    'warnings',
    'judged',
    'summary',
    'effects',
    'coverage',
    'ruleCoverage',
    'preflight',
    'sideEffects',
    'skipGroups',
    'failOnSkip',
    'waivers',
    'shard',
    'notes',
    'cases',
  ],
  tool: ['name', 'version'],
  target: ['url', 'embedded', 'fault', 'harmless'],
  summary: [...OUTCOMES, 'total'],
  coverage: ['status', 'hit', 'cases'],
  ruleCoverage: ['ruleId', 'table', 'parameter', 'status', 'failed', 'passed', 'example'],
  waiver: ['ruleId', 'reason', 'expires', 'expired', 'used'],
  case: [
    'id',
    'suite',
    'kind',
    'effect',
    'description',
    'rule',
    'seed',
    'outcome',
    'reason',
    'enable',
    'attempts',
    'failures',
    'checks',
    'request',
    'response',
    'synced',
    'curl',
    'reproduce',
    'decidingExchange',
    'exchanges',
  ],
  check: ['check', 'outcome', 'exchange', 'messages', 'citations', 'established', 'offending'],
  exchange: ['label', 'outcome', 'durationMs', 'attempts', 'request', 'response', 'curl'],
  citation: CITATION,
  request: ['method', 'url', 'headers', 'body', 'bodyTruncated'],
  response: ['status', 'durationMs', 'headers', 'body', 'bodyTruncated'],
};

/** Copy `obj` with `order` keys first, then any others sorted; undefined values dropped. */
function ordered(obj: object, order: string[] = []): Record<string, unknown> {
  const src = obj as Record<string, unknown>;
  const rest = Object.keys(src)
    .filter((k) => !order.includes(k))
    .sort(byCodeUnit);
  const out: Record<string, unknown> = {};
  for (const k of [...order, ...rest]) if (src[k] !== undefined) out[k] = src[k];
  return out;
}

const orderRequest = (r: RecordedRequest | undefined) =>
  r && ordered({ ...r, headers: ordered(r.headers) }, ORDER.request);
const orderResponse = (r: RecordedResponse | undefined) =>
  r && ordered({ ...r, headers: ordered(r.headers) }, ORDER.response);

function orderCase(c: CaseRecord): Record<string, unknown> {
  return ordered(
    {
      ...c,
      rule: ordered(c.rule, ORDER.citation),
      checks: c.checks.map((r) =>
        ordered({ ...r, citations: r.citations.map((x) => ordered(x, ORDER.citation)) }, ORDER.check),
      ),
      request: orderRequest(c.request),
      response: orderResponse(c.response),
      exchanges: c.exchanges?.map((x) =>
        ordered({ ...x, request: orderRequest(x.request), response: orderResponse(x.response) }, ORDER.exchange),
      ),
    },
    ORDER.case,
  );
}

const INDENT = '  ';

/**
 * The JSON report as text chunks: the head, then one chunk per case (read one at a time, in id
 * order), then the closing brackets. Together they are exactly JSON.stringify(report, null, 2).
 */
export function* jsonChunks(stream: ReportStream<Omit<TimelessReport, 'cases'>>): Generator<string> {
  const h = stream.head;
  const head = ordered(
    {
      ...h,
      tool: ordered(h.tool, ORDER.tool),
      target: ordered(h.target, ORDER.target),
      summary: ordered(h.summary, ORDER.summary),
      coverage: [...h.coverage].sort((a, b) => a.status - b.status).map((c) => ordered(c, ORDER.coverage)),
      ruleCoverage: h.ruleCoverage.map((r) => ordered(r, ORDER.ruleCoverage)),
      waivers: h.waivers.map((w) => ordered(w, ORDER.waiver)),
      cases: [],
    },
    ORDER.report,
  );
  // "cases" is the last key of ORDER.report, so the head's text ends with its empty array.
  const text = JSON.stringify(head, null, 2);
  const tail = `${INDENT}"cases": []\n}`;
  if (!text.endsWith(tail)) throw new Error('report head: "cases" must be its last key');
  let n = 0;
  for (const c of stream.cases()) {
    const body = JSON.stringify(orderCase(c), null, 2).replace(/\n/g, `\n${INDENT}${INDENT}`);
    yield n++ === 0
      ? `${text.slice(0, -tail.length)}${INDENT}"cases": [\n${INDENT}${INDENT}${body}`
      : `,\n${INDENT}${INDENT}${body}`;
  }
  yield n === 0 ? `${text}\n` : `\n${INDENT}]\n}\n`;
}

/** Pretty (2-space) JSON with stable key order and cases sorted by id; ends with a newline. */
export function renderJson(report: RunReport | TimelessReport): string {
  return [...jsonChunks(streamOf(report))].join('');
}

/** Deep copy without timestamp, durationMs and every response's and exchange's durationMs. */
export function stripTimings(report: RunReport | TimelessReport): TimelessReport {
  const { timestamp: _t, durationMs: _d, ...rest } = structuredClone(report) as RunReport;
  for (const c of rest.cases) {
    if (c.response) delete c.response.durationMs;
    for (const x of c.exchanges ?? []) {
      delete x.durationMs;
      if (x.response) delete x.response.durationMs;
    }
  }
  return rest;
}
