// One case, start to finish: self-check, send each of its requests in order, run its checks on every
// answer, and turn it all into a redacted CaseRecord that names the rule, what was sent, what came
// back, and how to reproduce it.

import { isDeepStrictEqual } from 'node:util';
import {
  operation,
  validateRequestBody,
  validateResponseBody,
  responseSchemaName,
  schemas,
} from '../../schemas/index.ts';
import { observedRules } from '../../schemas/observed.ts';
import { breaksOnly } from '../../generators/mutations.ts';
import type { Case, CaseStep } from '../../generators/cases.ts';
import { requestsOf } from '../../generators/steps.ts';
import {
  exchangesOf,
  type CaseRecord,
  type Citation,
  type CheckResult,
  type ExchangeRecord,
  type Outcome,
  type RecordedRequest,
  type RecordedResponse,
  type SyncedPair,
} from '../../reports/model.ts';
import { redact, REDACTED } from '../../reports/redact.ts';
import { policy } from '../../schemas/policy.ts';
import { CHECKS, cite, type Exchange } from '../checks/index.ts';
import { caseHead } from './case-head.ts';
import { afterRejectedCredential, afterUnanswered, STOP_ENABLES, stop, type RunState } from './breaker.ts';
import { type CredentialCheck, credentialCheckFor } from './credential-check.ts';
import { send, wireRequest, type Sent, type Target, type WireRequest } from './http.ts';
import { hideSignature } from './credentials.ts';
import { redactUserinfo } from './transport.ts';
import { secretHeaderVar, shq, toolLine } from './reproduce.ts';

export type { RunState } from './breaker.ts';

export const BODY_LIMIT_IN_REPORT = 4096;
const TRANSPORT_RULES = ['transport.answers', 'transport.bounded_body', 'transport.complete_response'];
const MAX_SYNCED_PER_CASE = 1000;

export interface CaseContextInfo {
  runSeed: number;
}

/** Our own check of a JSON case, in the form each of its requests goes on the wire: a failure here is our bug. */
export function selfCheck(c: Case): string | null {
  if (!('json' in c.body)) return null;
  const steps = requestsOf(c);
  for (const step of steps) {
    const named = (problem: string) => (steps.length > 1 ? `request "${step.label}": ${problem}` : problem);
    let wire: unknown;
    try {
      wire = JSON.parse(step.text ?? JSON.stringify(c.body.json));
    } catch {
      return named('the body is not JSON on the wire');
    }
    if (step.text !== undefined && !isDeepStrictEqual(wire, c.body.json))
      return named("the bytes on the wire carry another JSON value than the case's");
    const problem = validity(c, wire);
    if (problem) return named(problem);
  }
  return null;
}

function validity(c: Case, wire: unknown): string | null {
  if (c.selfCheck === 'valid') {
    const v = validateRequestBody(wire);
    return v.length ? `a "valid" case breaks ${v.map((x) => x.ruleId).join(', ')}` : null;
  }
  if (c.selfCheck !== 'invalid') return null;
  const r = breaksOnly(operation.request.body!, wire, c.ruleId);
  return r.ok ? null : `an "invalid" case for ${c.ruleId} breaks [${r.violated.join(', ') || 'nothing'}] on the wire`;
}

/** The tool's own reproduce line for a case (a target made without the run's flags still has the seed). */
export const reproduceLine = (target: Target, c: Case, runSeed: number) =>
  toolLine(target.reproduce ?? `--seed ${runSeed}`, c.id);

// Headers curl sets itself (or, for Accept-Encoding, through --compressed, which also decodes).
const CURL_OWNS = new Set(['host', 'content-length', 'connection', 'accept-encoding']);
// Bytes a shell word cannot carry as typed: controls (tab, CR and LF too), DEL and the C1 controls.
const UNTYPABLE = /[\u0000-\u001f\u007f-\u009f]/;
/** Beyond this many bytes of body the curl line is the tool itself, which makes the body again from the seed. */
export const CURL_BODY_LIMIT = 256 * 1024;

const utf8Escaped = (ch: string, byte: (b: number) => string) => [...Buffer.from(ch, 'utf8')].map(byte).join('');

/** A body as one shell word that holds exactly its bytes: bash's $'...' with \xHH escapes. */
function ansiC(body: string): string {
  const hex = (b: number) => `\\x${b.toString(16).padStart(2, '0')}`;
  return `$'${body.replace(/[\\']/g, '\\$&').replace(new RegExp(UNTYPABLE.source, 'g'), (ch) => utf8Escaped(ch, hex))}'`;
}

/** A printf format that writes exactly the body's bytes, NULs included (octal escapes: POSIX printf). */
function printfFormat(body: string): string {
  const octal = (b: number) => `\\${b.toString(8).padStart(3, '0')}`;
  return shq(
    body
      .replace(/[\\%]/g, (c) => (c === '%' ? '%%' : '\\\\'))
      .replace(new RegExp(UNTYPABLE.source, 'g'), (ch) => utf8Escaped(ch, octal)),
  );
}

/**
 * A reproducing curl line, runnable as printed (the body's exact bytes in the line itself); credentials and secret
 * headers appear as $TOKEN, $FORBIDDEN_TOKEN, $SECRET_HEADER_X. A body over CURL_BODY_LIMIT: the tool's own line.
 */
export function curlFor(w: WireRequest, target: Target, c: Case, runSeed: number): string {
  if (w.body !== null && Buffer.byteLength(w.body) > CURL_BODY_LIMIT)
    return `${reproduceLine(target, c, runSeed)}  # the body is ${Buffer.byteLength(w.body)} bytes: too long for a curl line`;
  const parts = ['curl', '-sS', '-i', '--compressed', '-X', w.method, shq(w.url)];
  if (target.proxy) parts.push('--proxy', shq(redactUserinfo(target.proxy)));
  if (target.tls?.insecure) parts.push('--insecure');
  if (target.tls?.ca) parts.push('--cacert', '"$CA_FILE"');
  if (target.tls?.cert) parts.push('--cert', '"$CLIENT_CERT"', '--key', '"$CLIENT_KEY"');
  const secretHeaders = new Set(target.secretHeaderNames ?? []);
  for (const [k, v] of Object.entries(w.headers)) {
    if (CURL_OWNS.has(k.toLowerCase())) continue;
    const isToken = k.toLowerCase() === 'x-auth-token';
    if (isToken && v === target.token) parts.push('-H', `"${k}: $TOKEN"`);
    else if (isToken && v === target.forbiddenToken) parts.push('-H', `"${k}: $FORBIDDEN_TOKEN"`);
    else if (secretHeaders.has(k)) parts.push('-H', `"${k}: ${secretHeaderVar(k)}"`);
    else parts.push('-H', shq(`${k}: ${v}`));
  }
  if (w.body === null) return parts.join(' ');
  // Without a Content-Type of the case's own, curl would add application/x-www-form-urlencoded.
  if (!Object.keys(w.headers).some((k) => k.toLowerCase() === 'content-type')) parts.push('-H', "'Content-Type:'");
  if (!UNTYPABLE.test(w.body)) return [...parts, '--data-raw', shq(w.body)].join(' ');
  if (!w.body.includes('\u0000')) return [...parts, '--data-raw', ansiC(w.body)].join(' ');
  return `printf -- ${printfFormat(w.body)} | ${[...parts, '--data-binary', '@-'].join(' ')}`;
}

const cut = (s: string, limit = BODY_LIMIT_IN_REPORT) =>
  s.length > limit ? { text: `${s.slice(0, limit)}…`, truncated: true } : { text: s, truncated: false };

/** Response fields the page does not document: allowed (policy 5), listed as notes. */
function unknownFields(schemaName: string | undefined, value: unknown): string[] {
  if (!schemaName) return [];
  const out: string[] = [];
  const walk = (s: Record<string, unknown>, v: unknown, path: string) => {
    const target = s.$ref ? schemas[String(s.$ref).replace('.schema.json', '')] : s;
    if (Array.isArray(v) && (s.items as object | undefined)) {
      for (const x of v.slice(0, 1)) walk(s.items as Record<string, unknown>, x, `${path}[]`);
      return;
    }
    const props = (target?.properties ?? {}) as Record<string, Record<string, unknown>>;
    if (!v || typeof v !== 'object' || Array.isArray(v) || !target?.properties) return;
    for (const [k, x] of Object.entries(v)) {
      if (!(k in props)) out.push(`${path}.${k}`.replace(/^\./, ''));
      else walk(props[k], x, `${path}.${k}`);
    }
  };
  walk(schemas[schemaName], value, '');
  return out;
}

/** One request of a case and its answer, judged: what a record, or one exchange of it, says. */
interface Judged {
  outcome: Outcome;
  request: RecordedRequest;
  curl: string;
  attempts: number;
  durationMs: number;
  response?: RecordedResponse;
  checks: CheckResult[];
  failures: string[];
  notes?: string[];
  reason?: string;
  enable?: string;
  inconclusive?: CaseRecord['inconclusive'];
  synced?: SyncedPair[];
  /** The answer as the checks saw it, for the checks of later requests; absent when nothing could be judged. */
  exchange?: Exchange;
}

function recorded(w: WireRequest, target: Target, c: Case, runSeed: number, secrets: string[]) {
  const request: RecordedRequest = {
    method: w.method,
    url: redact(w.url, secrets),
    headers: Object.fromEntries(
      Object.entries(w.headers).map(([k, v]) => [
        k,
        secrets.includes(v) ? REDACTED : redact(k.toLowerCase() === 'authorization' ? hideSignature(v) : v, secrets),
      ]),
    ),
    body: w.body === null ? null : redact(cut(w.body).text, secrets),
    ...(w.body !== null && w.body.length > BODY_LIMIT_IN_REPORT ? { bodyTruncated: true } : {}),
  };
  // A signature cannot be replayed from a curl line: with AK/SK, the reproduce line is the tool itself.
  const again = target.aksk ? reproduceLine(target, c, runSeed) : curlFor(w, target, c, runSeed);
  return { request, curl: redact(again, secrets) };
}

/** The distinct (channel, instance) pairs of a 2xx body's entries: what the target says it synchronized. */
function syncedPairs(json: Exchange['json']): SyncedPair[] {
  const list = json.ok && json.value && typeof json.value === 'object' ? (json.value as Record<string, unknown>) : {};
  if (!Array.isArray(list.project_vpc_channels)) return [];
  const seen = new Map<string, SyncedPair>();
  for (const e of list.project_vpc_channels as { id?: unknown; instance_id?: unknown }[]) {
    if (seen.size >= MAX_SYNCED_PER_CASE) break;
    if (typeof e?.id !== 'string' || typeof e.instance_id !== 'string') continue;
    seen.set(JSON.stringify([e.id, e.instance_id]), { channel: e.id, instance: e.instance_id });
  }
  return [...seen.values()];
}

/** Why the breaker keeps cases from being judged, as record fields. */
export const stopFields = (state: RunState) => ({
  reason: state.stopped,
  ...(state.stoppedBy ? { enable: STOP_ENABLES[state.stoppedBy] } : {}),
  // A stop by the credential, TLS or the proxy leaves the run unjudgeable; one by a silent target follows its timeouts.
  ...(state.stoppedBy && state.stoppedBy !== 'target' ? { inconclusive: state.stoppedBy } : {}),
});

/** The secrets of the target's credentials, added to `secrets` (a renewed credential is as secret as the old one). */
function keepSecret(secrets: string[], target: Target): string[] {
  for (const s of [target.token, target.forbiddenToken, ...(target.secrets ?? [])])
    if (s && !secrets.includes(s)) secrets.push(s);
  return secrets;
}

// AK/SK mode: the signature stands where the page says X-Auth-Token, so the token rules are worded for it.
const AKSK_WORDS: Record<string, Pick<Citation, 'parameter' | 'text'>> = {
  'auth.missing_or_unknown_token_401': {
    parameter: 'Authorization (SDK-HMAC-SHA256)',
    text: 'A missing, unknown or garbage AK/SK signature is answered 401 Unauthorized, as the page answers a missing or unknown token (example: APIG.1002 "Incorrect token or token resolution failed").',
  },
  'auth.no_permission_403': {
    parameter: 'Authorization (SDK-HMAC-SHA256)',
    text: 'A good signature by a key pair without permission is answered 403 Forbidden, as the page answers a valid token without permission (example: APIG.1005 "No permissions to request this method").',
  },
};

const inAkSkWords = (c: Citation): Citation => (AKSK_WORDS[c.ruleId] ? { ...c, ...AKSK_WORDS[c.ruleId] } : c);

export async function runCase(
  c: Case,
  target: Target,
  info: CaseContextInfo,
  state: RunState,
  credentials: CredentialCheck = credentialCheckFor(target),
): Promise<CaseRecord> {
  const secrets = keepSecret([], target);
  const base: CaseRecord = {
    ...caseHead(c, target.aksk ? inAkSkWords(cite(c.ruleId)) : cite(c.ruleId)),
    outcome: 'passed',
    checks: [],
    failures: [],
    reproduce: redact(reproduceLine(target, c, info.runSeed), secrets),
  };
  if (state.stopped) return { ...base, outcome: 'not_run', ...stopFields(state) };
  const ours = selfCheck(c);
  if (ours)
    return { ...base, outcome: 'error', reason: `our bug, not a verdict on the target: ${ours}`, failures: [ours] };

  const steps = requestsOf(c);
  const judged: Judged[] = [];
  for (const step of steps) {
    // A request after one that got no judgeable answer would not mean what it should: the case ends there.
    if (judged.length > 0 && !judged[judged.length - 1].exchange) break;
    const previous = judged.map((j) => j.exchange!);
    judged.push(await exchange(c, step, previous, { target, runSeed: info.runSeed, state, secrets, credentials }));
  }
  const { exchange: _x, durationMs: _d, ...only } = judged[0];
  return steps.length === 1 ? { ...base, ...only } : combine(base, c, steps, judged, target, info.runSeed, secrets);
}

// A renewal is otherwise invisible: the first answer (the 401) is not recorded, only the one to the new token.
export const RENEWED_NOTE =
  'IAM token renewed: the valid token was answered 401, a fresh one was obtained from IAM (by this case or one beside it), and this request was sent again with it; only that answer is judged';

/** What every request of a run is sent with: the target, the run's breaker and credential check, the secrets to redact. */
interface Sending {
  target: Target;
  runSeed: number;
  state: RunState;
  secrets: string[];
  credentials: CredentialCheck;
}

/** Sends one request of a case and judges its answer with the case's checks. */
async function exchange(c: Case, step: CaseStep, previous: readonly Exchange[], how: Sending): Promise<Judged> {
  const { target, runSeed, state, credentials } = how;
  const sentWith = target.token;
  let sent: Sent = await send(c, target, step);
  // A 401 to the valid credential after a good preflight: the credential check says whose answer it is.
  const next =
    c.auth === 'valid' && sent.response?.status === 401
      ? await afterRejectedCredential(state, target, credentials, sentWith)
      : 'judge';
  if (next === 'resend') sent = await send(c, target, step);
  const secrets = keepSecret(how.secrets, target);
  const sentAs = { ...recorded(sent.request, target, c, runSeed, secrets), attempts: sent.attempts };
  const durationMs = Math.round(sent.durationMs);
  const renewal = next === 'resend' ? [RENEWED_NOTE] : [];
  const judged = (rest: Omit<Judged, 'request' | 'curl' | 'attempts' | 'durationMs'>): Judged => {
    const notes = [...renewal, ...(rest.notes ?? [])];
    return { ...sentAs, durationMs, ...rest, ...(notes.length ? { notes } : {}) };
  };

  if (sent.error?.kind === 'tls' || sent.error?.kind === 'proxy') {
    // The same for every case that follows, and nothing the API answered: the run cannot be judged.
    stop(state, sent.error.kind, redact(sent.error.message, secrets));
    return judged({ outcome: 'not_run', checks: [], failures: [], ...stopFields(state) });
  }
  if (sent.error) {
    const kind = sent.error.kind;
    if (kind === 'timeout' || kind === 'refused') await afterUnanswered(state, target, credentials);
    else state.consecutiveTimeouts = 0;
    const ruleId = kind === 'dropped' ? 'transport.complete_response' : 'transport.answers';
    const message = `${sent.error.message} (${kind === 'timeout' ? `after ${target.timeoutMs} ms` : kind})`;
    return judged({
      outcome: kind === 'timeout' ? 'timeout' : 'failed',
      checks: [{ check: 'transport', outcome: 'failed', messages: [message], citations: [cite(ruleId)] }],
      failures: [`[transport] ${message} [${ruleId}]`],
    });
  }
  state.consecutiveTimeouts = 0;
  const r = sent.response!;
  const body = cut(r.text);
  const response: RecordedResponse = {
    status: r.status,
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, redact(v, secrets)])),
    body: redact(body.text, secrets),
    bodyTruncated: body.truncated || r.truncated,
    durationMs,
  };
  // The 401 is recorded, and judged as nothing: it is the credential's, not the API's.
  if (next === 'stopped')
    return judged({ response, outcome: 'not_run', checks: [], failures: [], ...stopFields(state) });
  if (sent.throttled)
    return judged({
      response,
      outcome: 'not_run',
      checks: [],
      failures: [],
      reason: `throttled: still ${r.status} after ${sent.attempts} attempts`,
      enable: 'run again when the target stops throttling (each wait was the one Retry-After asked for)',
      inconclusive: 'throttled',
    });

  if (r.truncated) {
    const decoded = r.encoding ? ` (${r.encoding}-decoded, or as received)` : '';
    const message = `the ${r.status} body exceeded the read cap of ${target.maxBodyBytes} bytes${decoded} and was cut`;
    return judged({
      response,
      outcome: 'failed',
      checks: [
        { check: 'transport', outcome: 'failed', messages: [message], citations: [cite('transport.bounded_body')] },
      ],
      failures: [`[transport] ${message} [transport.bounded_body]`],
    });
  }
  let json: Exchange['json'];
  try {
    json = { ok: true, value: JSON.parse(r.text) };
  } catch (e) {
    json = { ok: false, error: (e as Error).message };
  }
  const schemaName = responseSchemaName(r.status);
  const x: Exchange = {
    case: c,
    step,
    previous,
    requestJson: 'json' in c.body ? c.body.json : undefined,
    status: r.status,
    headers: r.headers,
    text: r.text,
    json,
    violations: schemaName && json.ok ? validateResponseBody(r.status, json.value) : [],
    observed: schemaName && json.ok ? observedRules(schemaName, json.value) : { schema: [], crossField: [] },
  };
  // A whole answer within the read cap: the transport rules held (they fail above, when they do not).
  const checks: CheckResult[] = [
    { check: 'transport', outcome: 'passed', messages: [], citations: [], established: [...TRANSPORT_RULES] },
  ];
  for (const name of c.checks) {
    const result = CHECKS[name](x);
    if (result) checks.push({ ...result, messages: result.messages.map((m) => redact(m, secrets)) });
  }
  const failed = checks.filter((k) => k.outcome === 'failed');
  const warned = checks.filter((k) => k.outcome === 'warning');
  const notes = json.ok
    ? unknownFields(schemaName, json.value).map((p) =>
        redact(`undocumented response field ${p} (allowed, ${policy(5)})`, secrets),
      )
    : [];
  const synced = r.status >= 200 && r.status < 300 ? syncedPairs(json) : [];
  return judged({
    response,
    outcome: failed.length ? 'failed' : warned.length ? 'warning' : 'passed',
    checks,
    failures: [...failed, ...warned].flatMap((k) => k.messages.map((m) => `[${k.check}] ${m}`)),
    ...(notes.length ? { notes } : {}),
    ...(synced.length
      ? { synced: synced.map((p) => ({ channel: redact(p.channel, secrets), instance: redact(p.instance, secrets) })) }
      : {}),
    exchange: x,
  });
}

// The outcome of a case of several requests is the gravest of its exchanges'.
const GRAVITY: readonly Outcome[] = ['failed', 'timeout', 'not_run', 'warning', 'passed'];

/** The record of a case of several requests: every exchange, and the deciding one in request/response/curl. */
function combine(
  base: CaseRecord,
  c: Case,
  steps: readonly CaseStep[],
  judged: Judged[],
  target: Target,
  runSeed: number,
  secrets: string[],
): CaseRecord {
  const outcome = GRAVITY.find((o) => judged.some((j) => j.outcome === o)) ?? 'passed';
  const decidingExchange = judged.findIndex((j) => j.outcome === outcome);
  const d = judged[decidingExchange];
  const tag = (i: number) => `request ${i + 1} of ${steps.length} (${steps[i].label})`;
  const exchanges: ExchangeRecord[] = steps.map((step, i) => {
    const j = judged[i];
    if (!j)
      return {
        label: step.label,
        outcome: 'not_run',
        ...recorded(wireRequest(c, target, step), target, c, runSeed, secrets),
      };
    return {
      label: step.label,
      outcome: j.outcome,
      request: j.request,
      ...(j.response ? { response: j.response } : {}),
      curl: j.curl,
      durationMs: j.durationMs,
      ...(j.attempts > 1 ? { attempts: j.attempts } : {}),
    };
  });
  const notes = [...new Set(judged.flatMap((j) => j.notes ?? []))];
  const inconclusive = judged.find((j) => j.inconclusive);
  const synced = [...new Map(judged.flatMap((j) => j.synced ?? []).map((p) => [JSON.stringify(p), p])).values()];
  return {
    ...base,
    outcome,
    ...(d.reason ? { reason: `${tag(decidingExchange)}: ${d.reason}` } : {}),
    ...(d.enable ? { enable: d.enable } : {}),
    checks: judged.flatMap((j, i) =>
      j.checks.map((k) => ({ ...k, messages: k.messages.map((m) => `${tag(i)}: ${m}`), exchange: i })),
    ),
    request: d.request,
    ...(d.response ? { response: d.response } : {}),
    failures: judged.flatMap((j, i) => j.failures.map((f) => f.replace(/^(\[[^\]]+\] )?/, `$1${tag(i)}: `))),
    curl: d.curl,
    attempts: d.attempts,
    ...(inconclusive ? { inconclusive: inconclusive.inconclusive } : {}),
    ...(notes.length ? { notes } : {}),
    ...(synced.length ? { synced } : {}),
    exchanges,
    decidingExchange,
  };
}

/** The failure text a failing test throws: self-describing (rule, sent, got, reproduce), every exchange of the case. */
export function failureText(rec: CaseRecord): string {
  const lines = [
    `${rec.id}: ${rec.outcome}`,
    `rule: ${rec.rule.ruleId} (${rec.rule.table}, ${rec.rule.parameter}) "${rec.rule.text}"`,
    ...rec.failures.map((f) => `  ${f}`),
  ];
  for (const k of rec.checks.filter((x) => x.outcome === 'failed'))
    for (const ct of k.citations)
      lines.push(
        `  cites ${ct.ruleId} — ${ct.table}, ${ct.parameter}: "${ct.text}"${ct.inference ? ' (inference)' : ''}`,
      );
  const exchanges = exchangesOf(rec);
  const several = exchanges.length > 1;
  for (const [i, x] of exchanges.entries()) {
    const which = several ? ` ${i + 1} of ${exchanges.length} (${x.label}, ${x.outcome})` : '';
    lines.push(`sent${which}: ${x.request.method} ${x.request.url} ${x.request.body ?? ''}`.slice(0, 600));
    if (x.response) lines.push(`got${which}: ${x.response.status} ${x.response.body}`.slice(0, 600));
  }
  for (const [i, x] of exchanges.entries())
    if (x.curl) lines.push(`reproduce${several ? ` ${i + 1} of ${exchanges.length}` : ''}: ${x.curl}`.slice(0, 2000));
  if (rec.reproduce) lines.push(`or: ${rec.reproduce}`);
  return lines.join('\n');
}

export { wireRequest };
