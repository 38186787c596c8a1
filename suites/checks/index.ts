// The checks: one small named function per rule family, shared by every suite. Each gets the
// exchange (the case, what came back, the response validated once) and says passed, failed,
// warning, or nothing when it does not apply. Names follow Schemathesis where the meaning matches.

import { rule, documentedStatuses, type Violation } from '../../schemas/index.ts';
import type { Case, CaseStep } from '../../generators/cases.ts';
import type { Observed } from '../../schemas/observed.ts';
import type { CheckResult, Citation } from '../../reports/model.ts';
import { policy } from '../../schemas/policy.ts';

export interface Exchange {
  case: Case;
  step: CaseStep; // which request of the case this answer is to
  previous: readonly Exchange[]; // the earlier requests of the same case and their answers, in order
  requestJson: unknown; // the body as sent, parsed (undefined for raw bodies)
  status: number;
  headers: Record<string, string>;
  text: string;
  json: { ok: true; value: unknown } | { ok: false; error: string };
  /** Violations of the documented schema for this status (computed once; [] if undocumented). */
  violations: Violation[];
  /** The rules of that schema that applied to the body, held or not (computed once; empty if undocumented). */
  observed: Observed;
}

export type Check = (x: Exchange) => CheckResult | null;

export function cite(ruleId: string): Citation {
  const r = rule(ruleId);
  return { ruleId, table: r.table, parameter: r.parameter, text: r.text, ...(r.inference ? { inference: true } : {}) };
}

// A passing check establishes the rules it cites; `also` adds rules it saw hold without citing them.
const pass = (check: string, ...ruleIds: string[]): CheckResult => ({
  check,
  outcome: 'passed',
  messages: [],
  citations: ruleIds.map(cite),
  established: [...new Set(ruleIds)],
});
const passAlso = (check: string, cited: string, also: string[]): CheckResult => ({
  ...pass(check, cited),
  established: [...new Set([cited, ...also])].sort(),
});
const fail = (
  check: string,
  messages: string[],
  ruleIds: string[],
  extra: Pick<CheckResult, 'established' | 'offending'> = {},
): CheckResult => ({
  check,
  outcome: 'failed',
  messages,
  citations: [...new Set(ruleIds)].map(cite),
  ...(extra.established?.length ? { established: extra.established } : {}),
  ...(extra.offending ? { offending: extra.offending } : {}),
});
const warn = (check: string, messages: string[], ruleIds: string[]): CheckResult => ({
  check,
  outcome: 'warning',
  messages,
  citations: ruleIds.map(cite),
});

const is2xx = (s: number) => s >= 200 && s < 300;
const isError = (s: number) => s >= 400;
const bodyObj = (x: Exchange) =>
  x.json.ok && x.json.value && typeof x.json.value === 'object' ? (x.json.value as Record<string, unknown>) : undefined;

/** Any 5xx answer to a generated request is a server error (policy 6). */
export const not_a_server_error: Check = (x) =>
  x.status >= 500
    ? fail(
        'not_a_server_error',
        [`got ${x.status}: a generated client request must never cause a server error`],
        ['status_codes.not_a_server_error'],
      )
    : pass('not_a_server_error', 'status_codes.not_a_server_error');

/** Only documented status codes, and one of those the case expects (201 on success). */
export const status_code_conformance: Check = (x) => {
  if (!documentedStatuses.includes(x.status)) {
    // A success answered with another 2xx breaks "success is 201" as well as "documented codes only".
    const ruleIds =
      is2xx(x.status) && x.case.expect.statuses.includes(201)
        ? ['status_codes.success_201', 'status_codes.documented']
        : ['status_codes.documented'];
    return fail(
      'status_code_conformance',
      [`got ${x.status}, which the page does not document (documented: ${documentedStatuses.join(', ')})`],
      ruleIds,
    );
  }
  if (x.status >= 500) return null; // not_a_server_error speaks for it
  const expected = x.case.expect.statuses;
  if (expected.includes(x.status))
    return x.status === 201
      ? pass('status_code_conformance', 'status_codes.documented', 'status_codes.success_201')
      : pass('status_code_conformance', 'status_codes.documented');
  // A 400 to a valid request is policy 4's business (positive_data_acceptance), not this check's;
  // a 400 to an auth case with made-up ids is auth_status_conformance's (policy 8).
  if (x.case.kind === 'valid' && x.status === 400) return null;
  if (bodyBeforeCredentials(x)) return null;
  const ruleId =
    is2xx(x.status) && !expected.some(is2xx)
      ? x.case.ruleId
      : expected.includes(201)
        ? 'status_codes.success_201'
        : x.case.ruleId;
  return fail(
    'status_code_conformance',
    [`expected ${expected.join(' or ')} (${x.case.expect.why}), got ${x.status}`],
    [ruleId],
  );
};

/** Documented bodies are JSON: an application/json media type, parameters allowed. */
export const content_type_conformance: Check = (x) => {
  if (!documentedStatuses.includes(x.status)) return null;
  const ct = x.headers['content-type'];
  const media = ct?.split(';')[0].trim().toLowerCase();
  if (media === 'application/json') return pass('content_type_conformance', 'response.content_type_json');
  return fail(
    'content_type_conformance',
    [`Content-Type ${ct === undefined ? 'is missing' : JSON.stringify(ct)}; a ${x.status} body is documented as JSON`],
    ['response.content_type_json'],
  );
};

/** The schema's verdict on the body: what broke (with where), and which of the observed rules held everywhere. */
function schemaMessages(
  x: Exchange,
  filter: (v: Violation) => boolean,
  observed: string[],
): { messages: string[]; ruleIds: string[]; established: string[]; offending: { response: string[] } } {
  const vs = x.violations.filter(filter);
  const broken = new Set(vs.map((v) => v.ruleId));
  return {
    messages: vs.map((v) => `${v.table} ${v.parameter} [${v.ruleId}]: ${v.message}`),
    ruleIds: vs.map((v) => v.ruleId),
    established: observed.filter((id) => !broken.has(id)),
    offending: { response: [...new Set(vs.map((v) => v.instancePath))] },
  };
}

function parsedOr(check: string, x: Exchange): CheckResult | undefined {
  if (!x.json.ok)
    return fail(
      check,
      [`the ${x.status} body is not JSON (${x.json.error}): ${JSON.stringify(x.text.slice(0, 120))}`],
      ['response.json_body'],
    );
  return undefined;
}

/** The success body (Tables 4-11) against the compiled schema; every error names its rule. */
export const response_schema_conformance: Check = (x) => {
  if (!is2xx(x.status) || !documentedStatuses.includes(x.status)) return null;
  const notJson = parsedOr('response_schema_conformance', x);
  if (notJson) return notJson;
  const { messages, ruleIds, ...seen } = schemaMessages(x, (v) => v.keyword !== 'x-rules', x.observed.schema);
  return messages.length
    ? fail('response_schema_conformance', messages, ruleIds, seen)
    : passAlso('response_schema_conformance', 'table4.body.type', ['response.json_body', ...seen.established]);
};

/** Cross-field rules written in descriptions (timeout < time_interval, path/http_code by protocol...). */
export const cross_field_conformance: Check = (x) => {
  if (!documentedStatuses.includes(x.status) || !x.json.ok) return null;
  const { messages, ruleIds, ...seen } = schemaMessages(x, (v) => v.keyword === 'x-rules', x.observed.crossField);
  if (messages.length) return fail('cross_field_conformance', messages, ruleIds, seen);
  // Held where both sides were present; says nothing when no rule had its fields there.
  const [first, ...rest] = seen.established;
  return first ? passAlso('cross_field_conformance', first, rest) : null;
};

/** Error bodies (Tables 12-15): a JSON object whose error_code and error_msg are strings. */
export const error_payload_conformance: Check = (x) => {
  if (!isError(x.status) || !documentedStatuses.includes(x.status)) return null;
  const notJson = parsedOr('error_payload_conformance', x);
  if (notJson) return notJson;
  const { messages, ruleIds, ...seen } = schemaMessages(x, () => true, x.observed.schema);
  if (messages.length) return fail('error_payload_conformance', messages, ruleIds, seen);
  const [first, ...rest] = seen.established;
  return first
    ? passAlso('error_payload_conformance', first, ['response.json_body', ...rest])
    : pass('error_payload_conformance', 'response.json_body');
};

/** A request that breaks a documented constraint must not succeed. */
export const negative_data_rejection: Check = (x) => {
  if (x.case.kind === 'valid') return null;
  if (is2xx(x.status)) {
    const what = x.case.mutation
      ? `${x.case.mutation.pointer || '(body)'} ${JSON.stringify(x.case.mutation.original)} -> ${JSON.stringify(x.case.mutation.mutated)}`
      : x.case.description;
    return fail(
      'negative_data_rejection',
      [`invalid data was accepted with ${x.status}: ${what} breaks ${x.case.ruleId}`],
      [x.case.ruleId],
      x.case.mutation ? { offending: { request: [x.case.mutation.pointer] } } : {},
    );
  }
  return pass('negative_data_rejection', x.case.ruleId);
};

/** A schema-valid request is accepted; a 400 is a warning (state the page does not describe) unless force_sync is true. */
export const positive_data_acceptance: Check = (x) => {
  if (x.case.kind !== 'valid') return null;
  if (is2xx(x.status)) return pass('positive_data_acceptance', x.case.ruleId);
  const forced = (x.requestJson as { force_sync?: unknown })?.force_sync === true;
  if (x.status === 400 && !forced) {
    return warn(
      'positive_data_acceptance',
      [
        `a valid request was refused with 400 (${describeError(x)}); allowed for state the page does not describe (${policy(4)})`,
      ],
      ['status_codes.success_201'],
    );
  }
  if (x.status === 400 && forced)
    return fail(
      'positive_data_acceptance',
      [`a valid request with force_sync true was refused with 400 (${describeError(x)})`],
      ['table3.force_sync.must_succeed'],
    );
  if (x.status >= 500) return null;
  return fail(
    'positive_data_acceptance',
    [`a valid request was answered ${x.status}`],
    [forced ? 'table3.force_sync.must_succeed' : 'status_codes.success_201'],
  );
};

function describeError(x: Exchange): string {
  const b = bodyObj(x);
  return b ? `${String(b.error_code)}: ${String(b.error_msg).slice(0, 120)}` : x.text.slice(0, 120);
}

/** A missing, unknown or malformed token must never get a 2xx. */
export const ignored_auth: Check = (x) => {
  if (x.case.auth === 'valid' && !x.case.projectId) return null;
  const ruleId = x.case.projectId
    ? 'auth.other_project_rejected'
    : x.case.auth === 'forbidden'
      ? 'auth.no_permission_403'
      : 'table2.X-Auth-Token.required';
  if (is2xx(x.status)) {
    return fail(
      'ignored_auth',
      [`${x.case.description}: answered ${x.status}, the request was processed without valid authorisation`],
      [ruleId],
    );
  }
  return pass('ignored_auth', ruleId);
};

/**
 * A 400 to an auth case whose body names made-up ids: the target read the body (ids that do not exist) before
 * the credentials. Policy 8 expects the credentials first, but the page does not fix the order.
 */
const bodyBeforeCredentials = (x: Exchange) =>
  x.case.suite === 'auth' && !!x.case.madeUpIds && x.status === 400 && !x.case.expect.statuses.includes(400);

/** Missing or unknown token: 401; a token without permission: 403; another project: 400/401/403. */
export const auth_status_conformance: Check = (x) => {
  if (x.case.suite !== 'auth' || is2xx(x.status) || x.status >= 500) return null; // ignored_auth / not_a_server_error speak
  if (x.case.expect.statuses.includes(x.status)) return pass('auth_status_conformance', x.case.ruleId);
  if (bodyBeforeCredentials(x))
    return warn(
      'auth_status_conformance',
      [
        `${x.case.description}: answered 400, not ${x.case.expect.statuses.join(' or ')}: the body was checked before the credentials (its ids are made up, as no real ones were given), or the credentials were not checked at all; ${policy(8)} expects credentials first, but the page does not fix that order: give --vpc-channel-id and --instance-ids to tell`,
      ],
      [x.case.ruleId],
    );
  return fail(
    'auth_status_conformance',
    [`${x.case.description}: expected ${x.case.expect.statuses.join(' or ')}, got ${x.status} (${x.case.expect.why})`],
    [x.case.ruleId],
  );
};

type Entry = { id?: unknown; instance_id?: unknown };
function syncContext(
  x: Exchange,
): { entries: Entry[]; channel?: string; instances?: string[]; forced: boolean } | null {
  if (!is2xx(x.status) || !x.json.ok) return null;
  const list = bodyObj(x)?.project_vpc_channels;
  if (!Array.isArray(list)) return null; // the schema check speaks for a missing list
  const req = (x.requestJson ?? {}) as { vpc_channel_id?: unknown; instance_ids?: unknown; force_sync?: unknown };
  return {
    entries: list.filter((e): e is Entry => !!e && typeof e === 'object'),
    channel: typeof req.vpc_channel_id === 'string' ? req.vpc_channel_id : undefined,
    instances:
      Array.isArray(req.instance_ids) && req.instance_ids.every((i) => typeof i === 'string')
        ? (req.instance_ids as string[])
        : undefined,
    forced: req.force_sync === true,
  };
}

/**
 * Inference (Function text + example): entries only for requested instances, at most one per echoed id; and none
 * for an id the case made up not to exist (Table 3: a 201 to such a list may pass over it, never answer for it).
 */
export const sync_requested_instances_only: Check = (x) => {
  const s = syncContext(x);
  if (!s?.instances) return null;
  const asked = new Set(s.instances);
  const unknown = new Set(x.case.unknownAmongKnown ?? []);
  const strangers = s.entries.filter((e) => typeof e.instance_id === 'string' && !asked.has(e.instance_id));
  const messages = strangers.map((e) => `an entry for instance ${String(e.instance_id)}, which was not requested`);
  if (s.channel && s.entries.length > s.instances.length)
    messages.push(`${s.entries.length} entries for ${s.instances.length} requested instance ids of one channel`);
  const ghosts = s.entries.filter((e) => typeof e.instance_id === 'string' && unknown.has(e.instance_id));
  const ghostMessages = ghosts.map((e) => `an entry for instance ${String(e.instance_id)}, which does not exist`);
  const broken = [
    ...(messages.length ? ['function.sync.requested_instances_only'] : []),
    ...(ghosts.length ? ['table3.instance_ids.known'] : []),
  ];
  return broken.length
    ? fail('sync_requested_instances_only', [...ghostMessages, ...messages], broken)
    : pass('sync_requested_instances_only', 'function.sync.requested_instances_only');
};

/** Inference: when a channel is named, an entry that carries id carries that channel's id. */
export const sync_requested_channel: Check = (x) => {
  const s = syncContext(x);
  if (!s?.channel) return null;
  const wrong = s.entries.filter((e) => e.id !== undefined && e.id !== s.channel);
  return wrong.length
    ? fail(
        'sync_requested_channel',
        wrong.map((e) => `an entry with id ${JSON.stringify(e.id)} answers a request for channel ${s.channel}`),
        ['function.sync.requested_channel'],
      )
    : pass('sync_requested_channel', 'function.sync.requested_channel');
};

/**
 * Inference: with force_sync true, every distinct requested instance gets an entry. instance_id is optional
 * (policy 5): entries without one may stand for the instances not named, so only more missing instances than
 * such entries fail.
 */
export const sync_every_instance_when_forced: Check = (x) => {
  const s = syncContext(x);
  if (!s?.instances || !s.forced) return null;
  const answered = new Set(s.entries.map((e) => e.instance_id));
  const anonymous = s.entries.filter((e) => typeof e.instance_id !== 'string').length;
  // An id made up not to exist, among known ones, may be passed over: only the known ones must be answered.
  const unknown = new Set(x.case.unknownAmongKnown ?? []);
  const missing = [...new Set(s.instances)].filter((i) => !answered.has(i) && !unknown.has(i));
  return missing.length > anonymous
    ? fail(
        'sync_every_instance_when_forced',
        missing.map((i) => `no entry for requested instance ${i} although force_sync is true`),
        ['function.sync.every_requested_instance_when_forced'],
      )
    : pass('sync_every_instance_when_forced', 'function.sync.every_requested_instance_when_forced');
};

/** Inference (Table 5 id and Table 8 vpc_channel_id, both "VPC channel ID."): an entry's health check is its own channel's. */
export const sync_entry_self_consistent: Check = (x) => {
  if (!syncContext(x)) return null;
  const list = bodyObj(x)!.project_vpc_channels as unknown[];
  const compared = list.flatMap((e, i) => {
    const entry = e && typeof e === 'object' ? (e as { id?: unknown; vpc_health_config?: unknown }) : {};
    const health = entry.vpc_health_config as { vpc_channel_id?: unknown } | undefined;
    const own = health && typeof health === 'object' ? health.vpc_channel_id : undefined;
    return typeof entry.id === 'string' && typeof own === 'string' ? [{ i, id: entry.id, own }] : [];
  });
  if (!compared.length) return null; // nothing to compare: both ids are optional (policy 5)
  const wrong = compared.filter((c) => c.id !== c.own);
  if (!wrong.length) return pass('sync_entry_self_consistent', 'table8.vpc_channel_id.same_as_entry_id');
  return fail(
    'sync_entry_self_consistent',
    wrong.map(
      (c) => `the entry with id ${JSON.stringify(c.id)} has a health check of channel ${JSON.stringify(c.own)}`,
    ),
    ['table8.vpc_channel_id.same_as_entry_id'],
    { offending: { response: wrong.map((c) => `/project_vpc_channels/${c.i}/vpc_health_config/vpc_channel_id`) } },
  );
};

const entryPairs = (x: Exchange) => {
  const list = bodyObj(x)?.project_vpc_channels;
  const entries = Array.isArray(list) ? list.filter((e): e is Entry => !!e && typeof e === 'object') : [];
  return new Set(entries.map((e) => `${String(e.id)} / ${String(e.instance_id)}`));
};

/**
 * Inference (RFC 8259, RFC 9110): the same request in another form, after its canonical form, gets the
 * canonical answer's status class and the same (id, instance_id) entries as a set (order and times may differ).
 */
export const equivalent_form_conformance: Check = (x) => {
  const canonical = x.previous[0];
  if (!canonical || !is2xx(canonical.status)) return null; // the canonical answer's own checks speak for it
  const form = x.step.label;
  const ruleId = x.case.ruleId;
  if (!is2xx(x.status))
    return fail(
      'equivalent_form_conformance',
      [
        `the ${form} form was answered ${x.status} (${describeError(x)}), the canonical form ${canonical.status}: the same request must get the same answer`,
      ],
      [ruleId],
    );
  const [want, got] = [entryPairs(canonical), entryPairs(x)];
  const missing = [...want].filter((p) => !got.has(p));
  const extra = [...got].filter((p) => !want.has(p));
  if (!missing.length && !extra.length) return pass('equivalent_form_conformance', ruleId);
  return fail(
    'equivalent_form_conformance',
    [
      `the ${form} form was answered with other entries than the canonical form (id / instance_id):` +
        `${missing.length ? ` missing ${missing.join(', ')};` : ''}${extra.length ? ` not in the canonical answer ${extra.join(', ')}` : ''}`,
    ],
    [ruleId],
  );
};

/** Every check by name: the one registry the cases and the documentation use. */
export const CHECKS: Record<string, Check> = {
  not_a_server_error,
  status_code_conformance,
  content_type_conformance,
  response_schema_conformance,
  cross_field_conformance,
  error_payload_conformance,
  negative_data_rejection,
  positive_data_acceptance,
  ignored_auth,
  auth_status_conformance,
  sync_requested_instances_only,
  sync_requested_channel,
  sync_every_instance_when_forced,
  sync_entry_self_consistent,
  equivalent_form_conformance,
};
