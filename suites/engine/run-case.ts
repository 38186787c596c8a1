// One case, start to finish: self-check, send, run its checks, and turn it all into a redacted
// CaseRecord that names the rule, what was sent, what came back, and how to reproduce it.

import {
  operation,
  validateRequestBody,
  validateResponseBody,
  responseSchemaName,
  schemas,
} from '../../schemas/index.ts';
import { breaksOnly } from '../../generators/mutations.ts';
import type { Case } from '../../generators/cases.ts';
import type { CaseRecord, CheckResult } from '../../reports/model.ts';
import { redact, REDACTED } from '../../reports/redact.ts';
import { CHECKS, cite, type Exchange } from '../checks/index.ts';
import { send, wireRequest, type Sent, type Target, type WireRequest } from './http.ts';

export const BODY_LIMIT_IN_REPORT = 4096;

export interface RunState {
  consecutiveTimeouts: number;
  stopped?: string; // why the remaining cases are not run
  maxConsecutiveTimeouts: number;
}

export interface CaseContextInfo {
  runSeed: number;
  available: { vpcChannelId: boolean; instanceIds: boolean; forbiddenToken: boolean };
}

const NEED_REASONS = {
  vpcChannelId: 'needs a real VPC channel id (--vpc-channel-id)',
  instanceIds: 'needs real instance ids (--instance-ids)',
  forbiddenToken: 'needs a token without permission (--forbidden-token)',
};

/** Our own check of a JSON case, in the form it goes on the wire: a failure here is our bug. */
export function selfCheck(c: Case): string | null {
  if (!('json' in c.body) || !c.selfCheck) return null;
  const wire = JSON.parse(JSON.stringify(c.body.json));
  if (c.selfCheck === 'valid') {
    const v = validateRequestBody(wire);
    return v.length ? `a "valid" case breaks ${v.map((x) => x.ruleId).join(', ')}` : null;
  }
  const r = breaksOnly(operation.request.body!, wire, c.ruleId);
  return r.ok ? null : `an "invalid" case for ${c.ruleId} breaks [${r.violated.join(', ') || 'nothing'}] on the wire`;
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A reproducing curl line; the user's tokens appear as $TOKEN / $FORBIDDEN_TOKEN. */
export function curlFor(w: WireRequest, target: Target, c: Case, runSeed: number): string {
  const parts = ['curl', '-sS', '-i', '-X', w.method, shq(w.url)];
  for (const [k, v] of Object.entries(w.headers)) {
    if (k === 'X-Auth-Token' && v === target.token) parts.push('-H', `"X-Auth-Token: $TOKEN"`);
    else if (k === 'X-Auth-Token' && v === target.forbiddenToken) parts.push('-H', `"X-Auth-Token: $FORBIDDEN_TOKEN"`);
    else parts.push('-H', shq(`${k}: ${v}`));
  }
  if (w.body !== null) {
    if (w.body.length <= BODY_LIMIT_IN_REPORT && !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(w.body))
      parts.push('--data-raw', shq(w.body));
    else
      parts.push(
        `--data-binary @body.bin  # ${Buffer.byteLength(w.body)} bytes: regenerate with --seed ${runSeed} --case ${c.id}`,
      );
  }
  return parts.join(' ');
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

export async function runCase(c: Case, target: Target, info: CaseContextInfo, state: RunState): Promise<CaseRecord> {
  const secrets = [target.token, target.forbiddenToken].filter((s): s is string => !!s);
  const base: CaseRecord = {
    id: c.id,
    suite: c.suite,
    kind: c.kind,
    description: c.description,
    rule: cite(c.ruleId),
    seed: c.seed,
    outcome: 'passed',
    checks: [],
    failures: [],
  };
  const missing = c.needs.filter((n) => !info.available[n]);
  if (missing.length) return { ...base, outcome: 'skipped', reason: missing.map((n) => NEED_REASONS[n]).join('; ') };
  if (state.stopped) return { ...base, outcome: 'not_run', reason: state.stopped };
  const ours = selfCheck(c);
  if (ours)
    return { ...base, outcome: 'error', reason: `our bug, not a verdict on the target: ${ours}`, failures: [ours] };

  const sent: Sent = await send(c, target);
  const w = sent.request;
  const recordedRequest = {
    method: w.method,
    url: redact(w.url, secrets),
    headers: Object.fromEntries(
      Object.entries(w.headers).map(([k, v]) => [k, secrets.includes(v) ? REDACTED : redact(v, secrets)]),
    ),
    body: w.body === null ? null : redact(cut(w.body).text, secrets),
    ...(w.body !== null && w.body.length > BODY_LIMIT_IN_REPORT ? { bodyTruncated: true } : {}),
  };
  const curl = redact(curlFor(w, target, c, info.runSeed), secrets);
  const withRequest = { ...base, request: recordedRequest, curl, attempts: sent.attempts };

  if (sent.error) {
    const kind = sent.error.kind;
    if (kind === 'timeout' || kind === 'refused') state.consecutiveTimeouts++;
    else state.consecutiveTimeouts = 0;
    if (state.consecutiveTimeouts >= state.maxConsecutiveTimeouts)
      state.stopped = `the target stopped answering (${state.consecutiveTimeouts} consecutive timeouts or refused connections)`;
    const ruleId = kind === 'dropped' ? 'transport.complete_response' : 'transport.answers';
    const message = `${sent.error.message} (${kind === 'timeout' ? `after ${target.timeoutMs} ms` : kind})`;
    return {
      ...withRequest,
      outcome: kind === 'timeout' ? 'timeout' : 'failed',
      checks: [{ check: 'transport', outcome: 'failed', messages: [message], citations: [cite(ruleId)] }],
      failures: [`[transport] ${message} [${ruleId}]`],
    };
  }
  state.consecutiveTimeouts = 0;
  const r = sent.response!;
  const body = cut(r.text);
  const recordedResponse = {
    status: r.status,
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, redact(v, secrets)])),
    body: redact(body.text, secrets),
    bodyTruncated: body.truncated || r.truncated,
    durationMs: Math.round(sent.durationMs),
  };
  const done = { ...withRequest, response: recordedResponse };
  if (sent.throttled)
    return {
      ...done,
      outcome: 'not_run',
      reason: `throttled: still ${r.status} after ${sent.attempts} attempts`,
      inconclusive: 'throttled',
    };

  if (r.truncated) {
    const message = `the ${r.status} body exceeded the read cap of ${target.maxBodyBytes} bytes and was cut`;
    return {
      ...done,
      outcome: 'failed',
      checks: [
        { check: 'transport', outcome: 'failed', messages: [message], citations: [cite('transport.bounded_body')] },
      ],
      failures: [`[transport] ${message} [transport.bounded_body]`],
    };
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
    requestJson: 'json' in c.body ? c.body.json : undefined,
    status: r.status,
    headers: r.headers,
    text: r.text,
    json,
    violations: schemaName && json.ok ? validateResponseBody(r.status, json.value) : [],
  };
  const checks: CheckResult[] = [];
  for (const name of c.checks) {
    const result = CHECKS[name](x);
    if (result) checks.push({ ...result, messages: result.messages.map((m) => redact(m, secrets)) });
  }
  const failed = checks.filter((k) => k.outcome === 'failed');
  const warned = checks.filter((k) => k.outcome === 'warning');
  const notes = json.ok
    ? unknownFields(schemaName, json.value).map((p) =>
        redact(`undocumented response field ${p} (allowed, policy 5)`, secrets),
      )
    : [];
  return {
    ...done,
    outcome: failed.length ? 'failed' : warned.length ? 'warning' : 'passed',
    checks,
    failures: [...failed, ...warned].flatMap((k) => k.messages.map((m) => `[${k.check}] ${m}`)),
    ...(notes.length ? { notes } : {}),
  };
}

/** The vitest-facing failure text: self-describing (rule, sent, got, reproduce). */
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
  if (rec.request) lines.push(`sent: ${rec.request.method} ${rec.request.url} ${rec.request.body ?? ''}`.slice(0, 600));
  if (rec.response) lines.push(`got: ${rec.response.status} ${rec.response.body}`.slice(0, 600));
  if (rec.curl)
    lines.push(`reproduce: ${rec.curl}`.slice(0, 2000), `or: conformance --seed <run seed> --case ${rec.id}`);
  return lines.join('\n');
}

export { wireRequest };
