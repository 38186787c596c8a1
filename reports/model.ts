// The report model: what a conformance run produces and every reporter consumes.
// Suites build it; reporters (json, junit, markdown) only read it.

export type Outcome = 'passed' | 'failed' | 'timeout' | 'not_run' | 'skipped' | 'waived' | 'warning' | 'error';

export const OUTCOMES: readonly Outcome[] = [
  'passed',
  'failed',
  'timeout',
  'not_run',
  'skipped',
  'waived',
  'warning',
  'error',
];

/** Where a rule is stated on the page (or that it is an inference / policy). */
export interface Citation {
  ruleId: string;
  table: string; // "Table 8", "Status Codes", "Function", ...
  parameter: string; // "timeout", "(body)", "X-Auth-Token", ...
  text: string; // the page's words, short
  inference?: boolean; // true when the rule is read from the Function text / examples, not stated
}

export interface CheckResult {
  check: string; // snake_case check name, e.g. "response_schema_conformance"
  outcome: 'passed' | 'failed' | 'warning' | 'skipped';
  messages: string[]; // failure / warning texts, already redacted
  citations: Citation[]; // the rules this result rests on (violated ones first)
  exchange?: number; // in a case of several requests: the index in `exchanges` of the answer it judged
  /** Bare ids of the rules this check saw apply and hold (a field present and valid); the coverage matrix counts them. */
  established?: string[];
  /** JSON pointers of the values a failure is about, in the request body sent or the response body received. */
  offending?: { request?: string[]; response?: string[] };
}

export interface RecordedRequest {
  method: string;
  url: string; // full URL
  headers: Record<string, string>; // tokens already redacted
  body: string | null; // exactly what went on the wire (truncated for the report), redacted
  bodyTruncated?: boolean;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: string; // truncated text, redacted
  bodyTruncated: boolean;
  durationMs?: number; // timings are excluded from determinism comparisons
}

/** One request of a case that holds several, and what came of it. */
export interface ExchangeRecord {
  label: string; // names the request within its case ("first", "again", "pretty-printed")
  outcome: Outcome; // of this exchange alone; not_run when an earlier one ended the case
  request: RecordedRequest; // what went (or would have gone) on the wire, redacted
  response?: RecordedResponse;
  curl: string; // reproducing curl line of this request; run a case's lines in order
  durationMs?: number; // the exchange, retries included; absent when it was not sent
  attempts?: number; // >1 when throttling made us retry
}

/** What a conformant server does with a case: carries it out (`sync`), may (`maybe`), or must refuse it (`none`). */
export type Effect = 'sync' | 'maybe' | 'none';

/** A (channel, instance) pair that an answer reported as synchronized. */
export interface SyncedPair {
  channel: string;
  instance: string;
}

export interface CaseRecord {
  id: string; // stable case id, e.g. "negative.table3.instance_ids.type.string"
  suite: 'positive' | 'negative' | 'auth' | 'robustness';
  kind: string; // valid | schema-invalid | wire-invalid | not-found | auth | stress
  effect?: Effect; // absent in records of tools before it
  description: string;
  rule: Citation; // the rule the case exercises
  seed: number; // per-case seed (derived from the run seed and the id)
  outcome: Outcome;
  reason?: string; // why skipped / not_run / waived / error
  enable?: string; // for skipped / not_run: what would let the case run ("give --forbidden-token")
  checks: CheckResult[];
  request?: RecordedRequest;
  response?: RecordedResponse;
  failures: string[]; // redacted failure messages (empty unless failed/timeout/warning/error)
  curl?: string; // reproducing curl line, token as $TOKEN
  reproduce?: string; // the tool's own line that runs this case again as the run did (credentials as placeholders)
  attempts?: number; // >1 when throttling made us retry
  inconclusive?: 'throttled' | 'credential' | 'tls' | 'proxy'; // why the case could not be judged, when that makes the run inconclusive
  notes?: string[]; // e.g. undocumented response fields (allowed)
  /**
   * Every request of a case that holds more than one (absent for a single request), in the order sent.
   * Then `request`, `response`, `curl` and `attempts` above are those of the deciding exchange: the
   * first whose outcome is the case's outcome (the first exchange of a case that passed).
   */
  exchanges?: ExchangeRecord[];
  decidingExchange?: number; // index in `exchanges` of the exchange shown in request/response/curl
  synced?: SyncedPair[]; // the pairs a 2xx answer reported as synchronized (distinct, capped)
}

export interface CoverageEntry {
  status: number;
  hit: boolean;
  cases: number;
}

/** What the run established about one rule of the registry (the rule coverage matrix). */
export type RuleStatus = 'failed' | 'passed' | 'not_observed' | 'not_tested' | 'waived';
export const RULE_STATUSES: readonly RuleStatus[] = ['failed', 'waived', 'passed', 'not_observed', 'not_tested'];

export interface RuleCoverage {
  ruleId: string;
  table: string;
  parameter: string;
  status: RuleStatus;
  failed: number; // cases that broke it
  passed: number; // cases in which it applied and held
  example?: string; // the first (by id) case that broke it, or else that held it
}

/** One token check before the cases: what was sent (a body that can sync nothing) and how the target took it. */
export interface PreflightRecord {
  credential: 'token' | 'forbidden-token' | 'made-up-token'; // made-up-token: the control, when the token's answer was not a 401
  body: string; // the request body, which names only ids that do not exist
  status?: number; // absent when no answer came
  error?: string; // transport trouble instead of an answer
  errorCode?: string; // the answer's error_code, for information
  meaning: string; // how the run read the answer
}

/** The (channel, instance) pairs answers reported as synchronized, over the whole run. */
export interface SideEffects {
  given: { vpcChannelIds: string[]; instanceIds: string[] }; // the real ids the run was given (or the embedded server's)
  pairs: (SyncedPair & { cases: number; firstCase: string; named: boolean })[]; // named: both ids given by the user
  more: number; // distinct pairs beyond those listed
}

/** Skipped or not-run cases sharing one reason, with what would let them run. */
export interface SkipGroup {
  outcome: 'skipped' | 'not_run';
  reason: string;
  enable?: string;
  count: number;
  cases: string[]; // the first ids, in id order (all of them are in the case records)
}

export interface RunReport {
  schemaVersion: 1;
  tool: { name: string; version: string };
  node: string;
  timestamp: string; // ISO
  pageSha256: string;
  schemasSha256: string;
  // where "policy N" in rule texts and reasons is defined: a path inside the tool's package
  policies?: string;
  // fault and harmless: the embedded server's switches, so that merge refuses shards of other targets
  target: { url: string; embedded: boolean; fault?: string; harmless?: string[] };
  seed: number;
  durationMs: number;
  verdict: 'conformant' | 'not_conformant' | 'inconclusive';
  exitCode: 0 | 1 | 2;
  inconclusiveReason?: string;
  warnings: string[]; // about the run as a whole: shown at the top of every report
  judged: number; // cases that were sent and judged (N of "conformant on N of M cases")
  summary: Record<Outcome, number> & { total: number };
  effects: Record<Effect, { cases: number; judged: number }>; // cases per effect, and how many of them were sent and judged
  coverage: CoverageEntry[];
  ruleCoverage: RuleCoverage[]; // every rule of the registry, in registry order
  preflight: PreflightRecord[];
  sideEffects: SideEffects;
  skipGroups: SkipGroup[];
  failOnSkip?: true; // --fail-on-skip was given: a skipped case made the run exit 2
  waivers: { ruleId: string; reason: string; expires?: string; expired: boolean; used: number }[];
  /** Set on a shard's report (--shard i/n); `merge` turns the shards into one report without it. */
  shard?: ShardInfo;
  notes: string[]; // e.g. unknown response fields seen
  cases: CaseRecord[]; // sorted by id
}

/** Which slice of a run's cases a sharded run held, and the whole case set every shard shares. */
export interface ShardInfo {
  index: number; // 1..count
  count: number;
  cases: number; // cases of the whole run, before slicing
  casesSha256: string; // digest of the whole case set (ids and per-case seeds)
}

/** A report without its case records: what a run returns, and the part every reporter renders first. */
export type ReportHead = Omit<RunReport, 'cases'>;

/** What the reporters need to know of a case before reading it: enough to count, order and pick. */
export interface CaseBrief {
  id: string;
  suite: CaseRecord['suite'];
  outcome: Outcome;
  effect?: Effect;
  status?: number; // the response status, when one came
  durationMs?: number;
}

/**
 * A report whose records are read one at a time, in id order, so that rendering a report of any
 * size holds one record at a time. `cases(pick)` reads only the records whose brief is picked.
 */
export interface ReportStream<H extends Omit<ReportHead, 'timestamp' | 'durationMs'> = ReportHead> {
  head: H;
  briefs: readonly CaseBrief[]; // sorted by id
  cases(pick?: (b: CaseBrief) => boolean): Iterable<CaseRecord>;
}

/** The exchanges of a record: its `exchanges`, or its one request as a single exchange (labelled ''). */
export function exchangesOf(c: CaseRecord): ExchangeRecord[] {
  if (c.exchanges) return c.exchanges;
  if (!c.request) return [];
  return [
    {
      label: '',
      outcome: c.outcome,
      request: c.request,
      ...(c.response ? { response: c.response } : {}),
      curl: c.curl ?? '',
      ...(c.response?.durationMs !== undefined ? { durationMs: c.response.durationMs } : {}),
    },
  ];
}
