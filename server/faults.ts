// Fault switches: each one flips exactly ONE behaviour of the reference server, so the conformance suite
// can prove that every check it runs is able to fail. This file holds the metadata (FAULTS) and the small
// hooks the handler calls; the handler itself stays fault-agnostic except for asking these hooks.

import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Json, JsonObject } from './channels.ts';
import { cseMicroserviceInfo, derivedId } from './channels.ts';
import type { BodyReader } from './request.ts';

export interface FaultInfo {
  name: FaultName;
  /** The rule-registry id (`table{N}.{parameter}.{keyword}` or a named rule); null when not a conformance rule. */
  ruleId: string | null;
  table: string;
  description: string;
}

const f = <N extends string>(name: N, ruleId: string | null, table: string, description: string) =>
  ({ name, ruleId, table, description }) as const;

/** Requests the token-expires fault accepts with the valid token before it answers 401. */
export const TOKEN_LIFETIME = 10;

const FAULT_LIST = [
  // Table 4
  f('t4-missing-list', 'table4.project_vpc_channels.required', 'Table 4', '201 body is {} (no project_vpc_channels)'),
  f(
    't4-list-not-array',
    'table4.project_vpc_channels.type',
    'Table 4',
    'project_vpc_channels is an object, not an array',
  ),
  // Table 5
  f('t5-port-out-of-range', 'table5.port.maximum', 'Table 5', 'port is 70000'),
  f('t5-name-wrong-type', 'table5.name.type', 'Table 5', 'name is a number'),
  f('t5-balance-strategy-enum', 'table5.balance_strategy.enum', 'Table 5', 'balance_strategy is 7'),
  f('t5-name-pattern', 'table5.name.pattern', 'Table 5', 'name is "9-starts-with-digit"'),
  f('t5-name-too-long', 'table5.name.maxLength', 'Table 5', 'name is 65 characters long'),
  f('t5-missing-name', 'table5.name.required', 'Table 5', 'name is absent'),
  f('t5-type-as-integer', 'table5.type.type', 'Table 5', 'type is the integer 2, as in the page example'),
  f('t5-create-time-format', 'table5.create_time.format', 'Table 5', 'create_time is "yesterday"'),
  // Table 6
  f('t6-weight-out-of-range', 'table6.member_group_weight.maximum', 'Table 6', 'member_group_weight is 101'),
  f('t6-dict-code-too-short', 'table6.dict_code.minLength', 'Table 6', 'member group dict_code is "ab"'),
  f('t6-name-wrong-type', 'table6.member_group_name.type', 'Table 6', 'member_group_name is a number'),
  // Table 7
  f('t7-weight-out-of-range', 'table7.weight.maximum', 'Table 7', 'member weight is 10001'),
  f('t7-port-wrong-type', 'table7.port.type', 'Table 7', 'member port is the string "80"'),
  f('t7-status-enum', 'table7.status.enum', 'Table 7', 'member status is 3'),
  f('t7-host-too-long', 'table7.host.maxLength', 'Table 7', 'member host is 65 characters long'),
  f('t7-ecs-name-pattern', 'table7.ecs_name.pattern', 'Table 7', 'member ecs_name is "bad name!"'),
  f(
    't7-ecs-id-missing',
    'table7.ecs_id.required_if_member_type',
    'Table 7',
    'the members of an ecs channel (Table 5 member_type ecs) lack ecs_id',
  ),
  f(
    't7-ecs-name-missing',
    'table7.ecs_name.required_if_member_type',
    'Table 7',
    'the members of an ecs channel (Table 5 member_type ecs) lack ecs_name',
  ),
  // Table 8
  f(
    't8-protocol-lowercase',
    'table8.protocol.enum',
    'Table 8',
    'health-check protocol in lower case ("http"), as in the page example',
  ),
  f('t8-timeout-out-of-range', 'table8.timeout.maximum', 'Table 8', 'timeout 31 (time_interval 300)'),
  f('t8-threshold-wrong-type', 'table8.threshold_normal.type', 'Table 8', 'threshold_normal is the string "2"'),
  f('t8-http-code-pattern', 'table8.http_code.pattern', 'Table 8', 'http_code is "600"'),
  f('t8-timeout-not-less', 'table8.timeout.lt_time_interval', 'Table 8', 'timeout 10 with time_interval 10'),
  f('t8-path-missing', 'table8.path.required_if_protocol', 'Table 8', 'HTTP health check without path'),
  f('t8-http-code-missing', 'table8.http_code.required_if_protocol', 'Table 8', 'HTTP health check without http_code'),
  f('t8-missing-protocol', 'table8.protocol.required', 'Table 8', 'health check without protocol'),
  f('t8-method-enum', 'table8.method.enum', 'Table 8', 'health-check method is "PATCH"'),
  // Table 9
  f('t9-service-type-enum', 'table9.service_type.enum', 'Table 9', 'microservice service_type is "K8S"'),
  f('t9-id-wrong-type', 'table9.id.type', 'Table 9', 'microservice id is the number 12'),
  // Table 10
  f('t10-engine-id-too-long', 'table10.engine_id.maxLength', 'Table 10', 'cse_info.engine_id is 65 characters long'),
  f('t10-version-wrong-type', 'table10.version.type', 'Table 10', 'cse_info.version is the number 1'),
  // Table 11
  f('t11-workload-type-enum', 'table11.workload_type.enum', 'Table 11', 'a cce_info with workload_type "job" is added'),
  f(
    't11-cluster-id-too-long',
    'table11.cluster_id.maxLength',
    'Table 11',
    'a cce_info with a 65-character cluster_id is added',
  ),
  // Status codes
  f('success-200', 'status_codes.success_201', 'Status Codes', 'success answered 200 (same body) instead of 201'),
  f('undocumented-status', 'status_codes.documented', 'Status Codes', 'invalid input answered 422 (valid error body)'),
  f(
    'server-error-on-bad-input',
    'status_codes.not_a_server_error',
    'Status Codes',
    'invalid input answered 500 (valid error body)',
  ),
  // Auth
  f('auth-ignored', 'table2.X-Auth-Token.required', 'Table 2', 'missing/unknown token processed as if valid'),
  f(
    'auth-missing-as-403',
    'auth.missing_or_unknown_token_401',
    'Status code: 401',
    'missing/unknown token answered 403',
  ),
  f('forbidden-as-401', 'auth.no_permission_403', 'Status code: 403', 'the forbidden token answered 401'),
  // AK/SK signing (the vendor's scheme, not the page): each leaves one part of the signature unchecked
  f(
    'aksk-body-unhashed',
    'auth.aksk.body_tampered_401',
    'AK/SK signing',
    'checks the access key and X-Sdk-Date but not the signature over the body: a body changed after signing is accepted',
  ),
  f(
    'aksk-date-unchecked',
    'auth.aksk.date_skew_401',
    'AK/SK signing',
    'verifies the signature but not how far X-Sdk-Date is from now',
  ),
  f(
    'auth-missing-as-400',
    'auth.missing_or_unknown_token_401',
    'Status code: 401',
    'missing/unknown token answered 400 (valid error body), whatever the body',
  ),
  f(
    'other-project-accepted',
    'auth.other_project_rejected',
    'Table 1',
    "valid token on another project's path answered 201",
  ),
  // Error bodies (every error answer)
  f('error-no-code', 'table12.error_code.required', 'Table 12', 'error bodies lack error_code'),
  f('error-code-not-string', 'table12.error_code.type', 'Table 12', 'error_code is a number'),
  f('error-msg-not-string', 'table12.error_msg.type', 'Table 12', 'error_msg is null'),
  f(
    'error-plain-text',
    'response.content_type_json',
    'Example Responses',
    'error bodies are text/plain status text ("Bad Request")',
  ),
  // Equivalent wire forms (the same request in other bytes or headers)
  f(
    'header-names-case-sensitive',
    'wire.equivalent_http',
    'RFC 9110',
    'the token is read only from a header spelled exactly X-Auth-Token; other spellings count as no token (401)',
  ),
  f(
    'media-type-params-refused',
    'wire.equivalent_http',
    'RFC 9110',
    'a Content-Type other than exactly "application/json" (a charset parameter, other letter case) answered 400',
  ),
  f('whitespace-refused', 'wire.equivalent_json', 'RFC 8259', 'a body with whitespace between its tokens answered 400'),
  f(
    'key-order-sensitive',
    'wire.equivalent_json',
    'RFC 8259',
    'vpc_channel_id is honoured only as the first member of the body; elsewhere it is ignored (every channel synced)',
  ),
  f(
    'escapes-unread',
    'wire.equivalent_json',
    'RFC 8259',
    '\\u escapes in strings are read as the letter u and four digits (keys and ids no longer match)',
  ),
  // Input handling
  f(
    'coerce-id-shapes',
    'table3.instance_ids.type',
    'Table 3',
    'a lenient parser: vpc_channel_id as a one-element array and instance_ids as a comma-separated string are coerced and synced',
  ),
  f(
    'accept-invalid',
    'table3.instance_ids.type',
    'Table 3',
    'schema-invalid bodies and malformed JSON answered 201 as if the body were {}',
  ),
  f(
    'lenient-wrong-type',
    'table3.instance_ids.type',
    'Table 3',
    'a lenient parser: a top-level field of the wrong type is ignored as if absent, and the rest is served',
  ),
  f(
    'unknown-ids-accepted',
    'table3.vpc_channel_id.known',
    'Table 3',
    'ids that do not exist are ignored: answered 201 with the entries of the ids that do exist (often none)',
  ),
  f(
    'refuse-valid',
    'table3.force_sync.must_succeed',
    'Table 3',
    'every authorised, otherwise valid request answered 400 APIG.2012',
  ),
  // Success responses
  f(
    'success-text-plain',
    'response.content_type_json',
    'Example Responses',
    '201 with Content-Type text/plain (body still JSON text)',
  ),
  f(
    'success-not-json',
    'response.json_body',
    'Example Responses',
    '201 with application/json but body <html>oops</html>',
  ),
  // Transport
  f('hang', 'transport.answers', 'Status Codes', 'never answers a request on the route; the socket stays open'),
  f(
    'hang-on-force-sync',
    'transport.answers',
    'Status Codes',
    'never answers a body whose force_sync is true; answers every other request',
  ),
  f('drop-connection', 'transport.complete_response', 'Status Codes', 'destroys the socket without answering'),
  f(
    'endless-body',
    'transport.bounded_body',
    'Example Responses',
    '201 application/json streaming bytes until the client goes away',
  ),
  // Sync semantics
  f(
    'sync-extra-instance',
    'function.sync.requested_instances_only',
    'Function',
    'adds an entry for an instance that was not requested',
  ),
  f('sync-wrong-channel', 'function.sync.requested_channel', 'Function', "entries carry another channel's id"),
  f(
    'refuse-identical-repeat',
    'table3.force_sync.must_succeed',
    'Table 3',
    'a request identical to one already served (token, path, body bytes) answered 400 "duplicate request", forced or not',
  ),
  f(
    'sync-first-n-instances',
    'function.sync.requested_instances_only',
    'Function',
    'answers the first N known instances, N the number of distinct instances requested',
  ),
  f(
    'sync-duplicates-drop-last',
    'function.sync.every_requested_instance_when_forced',
    'Function',
    'a request with duplicates among two or more distinct instance ids loses the last distinct id',
  ),
  f(
    'entry-health-channel-mismatch',
    'table8.vpc_channel_id.same_as_entry_id',
    'Table 8',
    "each entry's vpc_health_config.vpc_channel_id is another channel's id",
  ),
  f(
    'sync-missing-entries',
    'function.sync.every_requested_instance_when_forced',
    'Function',
    "drops the last requested instance's entries",
  ),
  // Redaction and throttling (not conformance rules)
  f(
    'echo-token',
    null,
    'Redaction',
    'echoes the request token (X-Echo-Token header, error_msg, "echo" field of the 201 body)',
  ),
  f('throttle-always', null, 'Throttling', 'every request on the route answered 429 with Retry-After: 0'),
  f(
    'token-expires',
    null,
    'Credentials',
    `the valid token is accepted for ${TOKEN_LIFETIME} requests, then answered 401 as expired or revoked`,
  ),
  f(
    'throttle-once',
    null,
    'Throttling',
    'first request of each distinct (method, path, body) answered 503 with Retry-After: 0',
  ),
] as const;

export type FaultName = (typeof FAULT_LIST)[number]['name'];

export const FAULTS: readonly FaultInfo[] = Object.freeze(FAULT_LIST.map((x) => Object.freeze({ ...x })));

export const FAULT_NAMES: readonly FaultName[] = FAULTS.map((x) => x.name);

export function isFaultName(s: string): s is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(s);
}

// ---------------------------------------------------------------------------------------------------
// Body breakers: each mutates one field of the 201 body (in every entry that has the field).

type Entry = JsonObject;
type Breaker = (body: { project_vpc_channels: Entry[] }) => Json;

const LONG_65 = 'a'.repeat(65);

const objs = (v: Json | undefined): JsonObject[] =>
  Array.isArray(v) ? (v.filter((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) as JsonObject[]) : [];
const obj = (v: Json | undefined): JsonObject | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;

/** Applies fn to each entry and returns the (mutated) body. */
const eachEntry =
  (fn: (e: Entry) => void): Breaker =>
  (body) => {
    body.project_vpc_channels.forEach(fn);
    return body;
  };
const eachGroup = (fn: (g: JsonObject) => void) => eachEntry((e) => objs(e.member_groups).forEach(fn));
const eachMember = (fn: (m: JsonObject) => void) => eachEntry((e) => objs(e.members).forEach(fn));
const eachHealth = (fn: (h: JsonObject) => void) =>
  eachEntry((e) => {
    const h = obj(e.vpc_health_config);
    if (h) fn(h);
  });
const eachMicro = (fn: (m: JsonObject) => void) =>
  eachEntry((e) => {
    const m = obj(e.microservice_info);
    if (m) fn(m);
  });
const eachCse = (fn: (c: JsonObject) => void) =>
  eachMicro((m) => {
    const c = obj(m.cse_info);
    if (c) fn(c);
  });
const isHttp = (h: JsonObject) => h.protocol === 'HTTP';
const isEcs = (e: Entry) => e.member_type === 'ecs';
const eachEcsMember = (fn: (m: JsonObject) => void) => eachEntry((e) => void (isEcs(e) && objs(e.members).forEach(fn)));

/** A valid cce_info (Table 11), so the cce faults break exactly the one named field. */
const cceInfo = (): JsonObject => ({
  cluster_id: 'f1e2d3c4b5a64978a1b2c3d4e5f60718',
  namespace: 'default',
  workload_type: 'deployment',
  app_name: 'order-service',
  label_key: 'app',
  label_value: 'order-service',
  cluster_name: 'cce-demo',
});

const BODY_BREAKERS: Partial<Record<FaultName, Breaker>> = {
  't4-missing-list': () => ({}),
  't4-list-not-array': (body) => ({
    project_vpc_channels: Object.fromEntries(body.project_vpc_channels.map((e, i) => [String(i), e])),
  }),
  't5-port-out-of-range': eachEntry((e) => void (e.port = 70000)),
  't5-name-wrong-type': eachEntry((e) => void (e.name = 12345)),
  't5-balance-strategy-enum': eachEntry((e) => void (e.balance_strategy = 7)),
  't5-name-pattern': eachEntry((e) => void (e.name = '9-starts-with-digit')),
  't5-name-too-long': eachEntry((e) => void (e.name = `V${'a'.repeat(64)}`)),
  't5-missing-name': eachEntry((e) => void delete e.name),
  't5-type-as-integer': eachEntry((e) => void (e.type = 2)),
  't5-create-time-format': eachEntry((e) => void (e.create_time = 'yesterday')),
  't6-weight-out-of-range': eachGroup((g) => void (g.member_group_weight = 101)),
  't6-dict-code-too-short': eachGroup((g) => void (g.dict_code = 'ab')),
  't6-name-wrong-type': eachGroup((g) => void (g.member_group_name = 42)),
  't7-weight-out-of-range': eachMember((m) => void (m.weight = 10001)),
  't7-port-wrong-type': eachMember((m) => void (m.port = '80')),
  't7-status-enum': eachMember((m) => void (m.status = 3)),
  't7-host-too-long': eachMember((m) => void ('host' in m && (m.host = LONG_65))),
  't7-ecs-name-pattern': eachMember((m) => void ('ecs_name' in m && (m.ecs_name = 'bad name!'))),
  't7-ecs-id-missing': eachEcsMember((m) => void delete m.ecs_id),
  't7-ecs-name-missing': eachEcsMember((m) => void delete m.ecs_name),
  't8-protocol-lowercase': eachHealth(
    (h) => void (typeof h.protocol === 'string' && (h.protocol = h.protocol.toLowerCase())),
  ),
  't8-timeout-out-of-range': eachHealth((h) => void ((h.timeout = 31), (h.time_interval = 300))),
  't8-threshold-wrong-type': eachHealth((h) => void (h.threshold_normal = String(h.threshold_normal ?? 2))),
  't8-http-code-pattern': eachHealth((h) => void ('http_code' in h && (h.http_code = '600'))),
  't8-timeout-not-less': eachHealth((h) => void ((h.timeout = 10), (h.time_interval = 10))),
  't8-path-missing': eachHealth((h) => void (isHttp(h) && delete h.path)),
  't8-http-code-missing': eachHealth((h) => void (isHttp(h) && delete h.http_code)),
  't8-missing-protocol': eachHealth((h) => void delete h.protocol),
  't8-method-enum': eachHealth((h) => void (h.method = 'PATCH')),
  't9-service-type-enum': eachMicro((m) => void (m.service_type = 'K8S')),
  't9-id-wrong-type': eachMicro((m) => void (m.id = 12)),
  't10-engine-id-too-long': eachCse((c) => void (c.engine_id = LONG_65)),
  't10-version-wrong-type': eachCse((c) => void (c.version = 1)),
  't11-workload-type-enum': eachMicro((m) => void (m.cce_info = { ...cceInfo(), workload_type: 'job' })),
  't11-cluster-id-too-long': eachMicro((m) => void (m.cce_info = { ...cceInfo(), cluster_id: LONG_65 })),
  'entry-health-channel-mismatch': eachHealth(
    (h) => void (h.vpc_channel_id = derivedId(`not-${String(h.vpc_channel_id)}`)),
  ),
};

/**
 * Some fields exist only on some channel kinds (ecs_name on ecs members, microservice_info on MICROSERVICE
 * channels, path on HTTP checks). So that such a fault shows on ANY 201 with an entry (e.g. the page's
 * example request, which names the ip channel), the structure is first grafted, valid, onto the first entry
 * when no entry has it; the breaker then breaks the one named field.
 */
interface Graft {
  has(e: Entry): boolean;
  graft(e: Entry): void;
}
const firstMember = (e: Entry) => objs(e.members)[0];
const health = (e: Entry) => obj(e.vpc_health_config);
const memberGraft = (field: string, value: string): Graft => ({
  has: (e) => objs(e.members).some((m) => field in m),
  graft: (e) => {
    const m = firstMember(e);
    if (m) m[field] = value;
    else e.members = [{ [field]: value }];
  },
});
const httpCheckGraft: Graft = {
  has: (e) => health(e)?.protocol === 'HTTP',
  graft: (e) =>
    void (e.vpc_health_config = { ...health(e), protocol: 'HTTP', path: '/health', http_code: '200', method: 'GET' }),
};
/** An ecs channel with ECS members, valid, made of the first entry. */
const ecsGraft: Graft = {
  has: (e) => isEcs(e) && objs(e.members).length > 0,
  graft: (e) => {
    e.member_type = 'ecs';
    const members = objs(e.members).length > 0 ? objs(e.members) : [{}];
    members.forEach((m, i) => {
      m.ecs_id ??= derivedId(`${String(e.id)}/ecs/${i}`);
      m.ecs_name ??= `ecs-grafted-${i + 1}`;
    });
    e.members = members;
  },
};
const microGraft: Graft = {
  has: (e) => obj(obj(e.microservice_info)?.cse_info) !== undefined,
  graft: (e) => void (e.microservice_info = cseMicroserviceInfo(String(e.id))),
};
const GRAFTS: Partial<Record<FaultName, Graft>> = {
  't7-host-too-long': memberGraft('host', '10.0.0.1'),
  't7-ecs-name-pattern': memberGraft('ecs_name', 'ecs-grafted-01'),
  't7-ecs-id-missing': ecsGraft,
  't7-ecs-name-missing': ecsGraft,
  't8-http-code-pattern': {
    has: (e) => 'http_code' in (health(e) ?? {}),
    graft: (e) => void (e.vpc_health_config = { ...health(e), http_code: '200' }),
  },
  't8-path-missing': httpCheckGraft,
  't8-http-code-missing': httpCheckGraft,
  't9-service-type-enum': microGraft,
  't9-id-wrong-type': microGraft,
  't10-engine-id-too-long': microGraft,
  't10-version-wrong-type': microGraft,
  't11-workload-type-enum': microGraft,
  't11-cluster-id-too-long': microGraft,
};

function breakBody(fault: FaultName, entries: Entry[]): Json {
  const breaker = BODY_BREAKERS[fault];
  if (!breaker) return { project_vpc_channels: entries };
  const g = GRAFTS[fault];
  if (g && entries.length > 0 && !entries.some(g.has)) g.graft(entries[0]);
  return breaker({ project_vpc_channels: entries });
}

// ---------------------------------------------------------------------------------------------------
// Sync-semantics faults: they change WHICH entries come back, not their fields.

export interface SyncContext {
  /** Channel ids the request selected, in answer order. */
  channelIds: string[];
  /** Instance ids the request selected (de-duplicated), in request order. */
  instanceIds: string[];
  /** instance_ids exactly as the request gave them (duplicates kept); undefined when it gave none. */
  requestedInstanceIds?: string[];
  allChannelIds: string[];
  allInstanceIds: string[];
  /** Builds a valid entry for (channel, instance); unknown instance ids get a made-up instance name. */
  entry(channelId: string, instanceId: string): JsonObject;
}

function applySyncFault(fault: FaultName | null, entries: JsonObject[], ctx: SyncContext): JsonObject[] {
  switch (fault) {
    case 'sync-extra-instance': {
      const extra = ctx.allInstanceIds.find((id) => !ctx.instanceIds.includes(id)) ?? derivedId('extra-instance');
      const channel = ctx.channelIds[0] ?? ctx.allChannelIds[0];
      return channel === undefined ? entries : [...entries, ctx.entry(channel, extra)];
    }
    case 'sync-wrong-channel':
      return entries.map((e) => {
        const others = ctx.allChannelIds.filter((id) => id !== e.id);
        return { ...e, id: others[0] ?? derivedId(`not-${String(e.id)}`) };
      });
    case 'sync-first-n-instances': {
      const firstN = ctx.allInstanceIds.slice(0, ctx.instanceIds.length);
      return ctx.channelIds.flatMap((c) => firstN.map((i) => ctx.entry(c, i)));
    }
    case 'sync-duplicates-drop-last': {
      const asked = ctx.requestedInstanceIds ?? [];
      const distinct = new Set(asked).size;
      if (distinct < 2 || distinct === asked.length) return entries; // only duplicates among distinct ids
      return entries.filter((e) => e.instance_id !== ctx.instanceIds[ctx.instanceIds.length - 1]);
    }
    case 'sync-missing-entries': {
      const last = ctx.instanceIds[ctx.instanceIds.length - 1];
      return entries.filter((e) => e.instance_id !== last);
    }
    default:
      return entries;
  }
}

// ---------------------------------------------------------------------------------------------------
// Body readers: faults that read the request text other than JSON does, or coerce what they read.

/** Whitespace next to a structural character or around the text: the compact form has none. */
const SPACED = /^\s|\s$|[{[,:]\s|\s[}\],:]/;

const BODY_READERS: Partial<Record<FaultName, BodyReader>> = {
  'whitespace-refused': (text) => {
    if (SPACED.test(text)) throw new SyntaxError('whitespace between tokens');
    return JSON.parse(text);
  },
  'escapes-unread': (text) => JSON.parse(text.replace(/\\u([0-9a-fA-F]{4})/g, 'u$1')),
  'key-order-sensitive': (text) => {
    const v = JSON.parse(text);
    if (v && typeof v === 'object' && Object.keys(v)[0] !== 'vpc_channel_id') delete v.vpc_channel_id;
    return v;
  },
  'coerce-id-shapes': (text) => {
    const v = JSON.parse(text);
    if (!v || typeof v !== 'object') return v;
    const [channel] = Array.isArray(v.vpc_channel_id) ? v.vpc_channel_id : [];
    if (Array.isArray(v.vpc_channel_id) && v.vpc_channel_id.length === 1 && typeof channel === 'string')
      v.vpc_channel_id = channel;
    if (typeof v.instance_ids === 'string') v.instance_ids = v.instance_ids.split(',');
    return v;
  },
  // A field of the wrong type is as good as absent: {"instance_ids": "x"} reads as {}, i.e. sync everything.
  'lenient-wrong-type': (text) => {
    const v = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).filter(([k, x]) => !(k in TYPED) || TYPED[k](x)));
  },
};

/** The types Table 3 gives its fields, as a lenient parser checks them. */
const TYPED: Record<string, (v: unknown) => boolean> = {
  vpc_channel_id: (v) => typeof v === 'string',
  instance_ids: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  force_sync: (v) => typeof v === 'boolean',
};

// ---------------------------------------------------------------------------------------------------
// The hooks object the handler consults. One per server: throttle-once keeps state.

export type AuthKind = 'ok' | 'missing' | 'unknown' | 'forbidden' | 'other-project';

export interface Payload {
  contentType: string;
  text: string;
}

// The media type the page documents, with no parameter: the plainest answer (tools such as Dredd compare it
// exactly). The harmless switch json-charset adds a charset parameter.
export const JSON_TYPE = 'application/json';

const THROTTLE_MEMORY = 10_000; // distinct requests remembered (throttle-once, refuse-identical-repeat) before all are forgotten

export interface FaultHooks {
  readonly fault: FaultName | null;
  readonly hang: boolean;
  /** Whether to leave a request with this body unanswered (hang-on-force-sync). */
  hangsOn(body: Buffer): boolean;
  readonly ignoreUnknownIds: boolean;
  readonly drop: boolean;
  readonly endless: boolean;
  readonly acceptInvalid: boolean;
  readonly refuseValid: boolean;
  readonly echoToken: boolean;
  /** header-names-case-sensitive: the token counts only under the exact name X-Auth-Token. */
  readonly exactHeaderNames: boolean;
  /** What the AK/SK verifier checks (aksk-body-unhashed, aksk-date-unchecked each leave one out). */
  readonly signature: { body: boolean; date: boolean };
  /** Whether to refuse this Content-Type (media-type-params-refused). */
  refuseContentType(contentType: string | undefined): boolean;
  /** How the body text becomes a value (JSON.parse, or a wire-form or coercion fault's own reading). */
  readonly readBody: BodyReader;
  /** Whether to refuse a valid request as a duplicate of one already served (refuse-identical-repeat). */
  refuseRepeat(token: string, path: string, body: Buffer): boolean;
  /** A throttling answer to give instead of serving, or null to serve. */
  throttle(method: string, path: string, body: Buffer): { status: 429 | 503 } | null;
  /** What auth outcome to act on: 'ok' (serve), 400 (as invalid input), 401 or 403. */
  auth(kind: AuthKind): 'ok' | 400 | 401 | 403;
  /** The status used for an invalid-input answer (normally 400). */
  invalidInputStatus(): number;
  errorPayload(status: number, code: string, msg: string): Payload;
  successStatus(): number;
  /** Applies sync and body faults to a 201 body and renders it. */
  successPayload(entries: JsonObject[], ctx: SyncContext, extra?: JsonObject): Payload;
}

const requestKey = (...parts: (string | Buffer)[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
};

/** A bounded memory of requests seen: remembers a key, answers whether it was there already. */
function memory(): (key: string) => boolean {
  const seen = new Set<string>();
  return (key) => {
    if (seen.has(key)) return true;
    if (seen.size >= THROTTLE_MEMORY) seen.clear();
    seen.add(key);
    return false;
  };
}

export function createFaultHooks(fault: FaultName | null): FaultHooks {
  const throttled = memory();
  const served = memory();
  let validUses = 0; // token-expires: requests made with the valid token so far
  return {
    fault,
    hang: fault === 'hang',
    hangsOn: (body) => fault === 'hang-on-force-sync' && forceSyncOf(body) === true,
    ignoreUnknownIds: fault === 'unknown-ids-accepted',
    drop: fault === 'drop-connection',
    endless: fault === 'endless-body',
    acceptInvalid: fault === 'accept-invalid',
    refuseValid: fault === 'refuse-valid',
    echoToken: fault === 'echo-token',
    exactHeaderNames: fault === 'header-names-case-sensitive',
    signature: { body: fault !== 'aksk-body-unhashed', date: fault !== 'aksk-date-unchecked' },
    refuseContentType: (ct) => fault === 'media-type-params-refused' && ct !== 'application/json',
    readBody: (fault && BODY_READERS[fault]) || JSON.parse,

    refuseRepeat(token, path, body) {
      return fault === 'refuse-identical-repeat' && served(requestKey(token, path, body));
    },

    throttle(method, path, body) {
      if (fault === 'throttle-always') return { status: 429 };
      if (fault !== 'throttle-once') return null;
      return throttled(requestKey(method, path, body)) ? null : { status: 503 };
    },

    auth(kind) {
      if (fault === 'token-expires' && (kind === 'ok' || kind === 'other-project') && ++validUses > TOKEN_LIFETIME)
        return 401;
      if (kind === 'ok') return 'ok';
      if (kind === 'missing' || kind === 'unknown') {
        if (fault === 'auth-ignored') return 'ok';
        return fault === 'auth-missing-as-403' ? 403 : fault === 'auth-missing-as-400' ? 400 : 401;
      }
      if (kind === 'forbidden') return fault === 'forbidden-as-401' ? 401 : 403;
      return fault === 'other-project-accepted' ? 'ok' : 403;
    },

    invalidInputStatus() {
      if (fault === 'undocumented-status') return 422;
      if (fault === 'server-error-on-bad-input') return 500;
      return 400;
    },

    errorPayload(status, code, msg) {
      switch (fault) {
        case 'error-no-code':
          return json({ error_msg: msg });
        case 'error-code-not-string':
          return json({ error_code: Number(code.replace(/\D/g, '')) || 2012, error_msg: msg });
        case 'error-msg-not-string':
          return json({ error_code: code, error_msg: null });
        case 'error-plain-text':
          return { contentType: 'text/plain; charset=utf-8', text: STATUS_CODES[status] ?? 'Error' };
        default:
          return json({ error_code: code, error_msg: msg });
      }
    },

    successStatus() {
      return fault === 'success-200' ? 200 : 201;
    },

    successPayload(entries, ctx, extra) {
      const synced = applySyncFault(fault, entries, ctx);
      let body: Json = fault ? breakBody(fault, synced) : { project_vpc_channels: synced };
      if (extra && body && typeof body === 'object' && !Array.isArray(body)) body = { ...body, ...extra };
      if (fault === 'success-not-json') return { contentType: JSON_TYPE, text: '<html>oops</html>' };
      if (fault === 'success-text-plain')
        return { contentType: 'text/plain; charset=utf-8', text: JSON.stringify(body) };
      return json(body);
    },
  };
}

/** force_sync of a JSON object body, or undefined (not JSON, not an object, absent). */
function forceSyncOf(body: Buffer): unknown {
  try {
    const v = JSON.parse(body.toString('utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>).force_sync : undefined;
  } catch {
    return undefined;
  }
}

function json(value: Json): Payload {
  return { contentType: JSON_TYPE, text: JSON.stringify(value) };
}
