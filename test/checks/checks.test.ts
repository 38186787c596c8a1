// Unit tests of every named check (suites/checks/index.ts) and of the engine around them
// (suites/engine/run-case.ts, suites/engine/http.ts), with nock standing in for the server.
// Each check gets at least one answer that makes it pass and one that makes it fail; a failure
// must carry the check's name, outcome 'failed' and the rule id it rests on.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import nock from 'nock';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildCases, caseMatcher, selectCases, validInstanceOf, type Case } from '../../generators/cases.ts';
import { breakRule } from '../../generators/mutations.ts';
import { fakerFor, idThatDoesNotExist } from '../../generators/seed.ts';
import { validateResponseBody } from '../../schemas/index.ts';
import { CHECKS } from '../../suites/checks/index.ts';
import { failureText, runCase, type CaseContextInfo, type RunState } from '../../suites/engine/run-case.ts';
import { PREFLIGHT_BODY, type CredentialCheck } from '../../suites/engine/credential-check.ts';
import type { Target } from '../../suites/engine/http.ts';
import type { CaseRecord, CheckResult } from '../../reports/model.ts';

const ORIGIN = 'http://conformance.test';
const PATH = '/v2/p1/apic/vpc-channels/syncs';
const TOKEN = 'secret-token-123456';
const FORBIDDEN = 'forbidden-token-654321';

const target: Target = {
  baseUrl: ORIGIN,
  projectId: 'p1',
  token: TOKEN,
  forbiddenToken: FORBIDDEN,
  timeoutMs: 2000,
  maxBodyBytes: 1 << 20,
  retry: { attempts: 3, maxWaitMs: 50 },
};
const info: CaseContextInfo = { runSeed: 1 };
const ctx = { seed: 1, vpcChannelIds: ['c1'], instanceIds: ['i1', 'i2'], hasForbiddenToken: true };
const CASES = buildCases(ctx);

function caseById(id: string): Case {
  const c = CASES.find((x) => x.id === id);
  if (!c) throw new Error(`no case ${id}; known: ${CASES.map((x) => x.id).join(', ')}`);
  return c;
}
const freshState = (): RunState => ({ consecutiveTimeouts: 0, maxConsecutiveTimeouts: 3 });

// Case ids used below (all built by buildCases(ctx) above).
const POS_ALL_FORCED = 'positive.fields.channel-yes.instances-yes.force-true'; // c1, [i1, i2], force_sync true
const POS_ALL_UNFORCED = 'positive.fields.channel-yes.instances-yes.force-absent'; // c1, [i1, i2]
const POS_EMPTY = 'positive.fields.channel-no.instances-no.force-absent'; // {}
const NEG_FORCE_TYPE = 'negative.table3.force_sync.type.wrong-type';
const NEG_WIRE = 'negative.wire.malformed-json';
const AUTH_MISSING = 'auth.missing-token';
const AUTH_FORBIDDEN = 'auth.forbidden-token';
const AUTH_OTHER_PROJECT = 'auth.other-project';

// --- answers -------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const clone = <T>(v: T): T => structuredClone(v);

/** A schema-valid 201 body (Table 4), generated from the compiled schema. */
const valid201 = (seed = 1): Json => validInstanceOf('Response201', seed) as Json;

/** A valid 201 body whose project_vpc_channels are one entry per [channel id, instance id], each self-consistent. */
function syncBody(entries: [string, string][]): Json {
  const body = valid201();
  const template = (body.project_vpc_channels as Json[])[0];
  body.project_vpc_channels = entries.map(([id, instance]) => {
    const e: Json = { ...clone(template), id, instance_id: instance };
    if (e.vpc_health_config) (e.vpc_health_config as Json).vpc_channel_id = id;
    return e;
  });
  return body;
}

/** A 201 body that answers c1 / [i1, i2] exactly: every check of the positive cases passes on it. */
const good201 = (): Json =>
  syncBody([
    ['c1', 'i1'],
    ['c1', 'i2'],
  ]);

const errorBody = (code: unknown = 'APIC.7211', msg: unknown = 'Parameter value does not match the rules') => ({
  error_code: code,
  error_msg: msg,
});

/** One intercepted POST to the operation's path on the fake origin. */
const route = (options?: nock.Options) => nock(ORIGIN, options).post(PATH);

async function run(
  id: string | Case,
  state: RunState = freshState(),
  t: Target = target,
  i: CaseContextInfo = info,
): Promise<CaseRecord> {
  return runCase(typeof id === 'string' ? caseById(id) : id, t, i, state);
}

/** The preflight: a body that names only ids that do not exist. */
const isPreflight = (body: Record<string, unknown>) => body.vpc_channel_id === PREFLIGHT_BODY.vpc_channel_id;

test("the preflight's ids, written out in credential-check.ts, are the made-up ids of seed 0", () => {
  expect(PREFLIGHT_BODY).toEqual({
    vpc_channel_id: idThatDoesNotExist(0, 'preflight.vpc-channel-id'),
    instance_ids: [idThatDoesNotExist(0, 'preflight.instance-id')],
  });
});

function checkOf(rec: CaseRecord, name: string): CheckResult | undefined {
  return rec.checks.find((k) => k.check === name);
}

function expectPassed(rec: CaseRecord, name: string): CheckResult {
  const k = checkOf(rec, name);
  expect(k, `${name} in ${JSON.stringify(rec.checks.map((x) => [x.check, x.outcome]))}`).toBeDefined();
  expect(k!.outcome).toBe('passed');
  expect(k!.messages).toEqual([]);
  return k!;
}

function expectFailed(rec: CaseRecord, name: string, ruleId: string): CheckResult {
  const k = checkOf(rec, name);
  expect(k, `${name} in ${JSON.stringify(rec.checks.map((x) => [x.check, x.outcome]))}`).toBeDefined();
  expect(k!.check).toBe(name);
  expect(k!.outcome).toBe('failed');
  expect(k!.citations.map((c) => c.ruleId)).toContain(ruleId);
  expect(k!.messages.length).toBeGreaterThan(0);
  expect(rec.outcome).toBe('failed');
  expect(rec.failures.some((f) => f.startsWith(`[${name}]`))).toBe(true);
  return k!;
}

// --- lifecycle -----------------------------------------------------------------------------------

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
beforeEach(() => {
  nock.cleanAll();
});
afterEach(() => {
  nock.abortPendingRequests();
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

// --- fixtures sanity -------------------------------------------------------------------------------

describe('fixtures', () => {
  test('the generated 201 body and the sync bodies are schema-valid', () => {
    expect(validateResponseBody(201, valid201())).toEqual([]);
    expect(
      validateResponseBody(
        201,
        syncBody([
          ['c1', 'i1'],
          ['c1', 'i2'],
        ]),
      ),
    ).toEqual([]);
    expect(validateResponseBody(400, errorBody())).toEqual([]);
  });

  test('the case ids used here exist and carry the checks under test', () => {
    for (const id of [
      POS_ALL_FORCED,
      POS_ALL_UNFORCED,
      POS_EMPTY,
      NEG_FORCE_TYPE,
      NEG_WIRE,
      AUTH_MISSING,
      AUTH_FORBIDDEN,
      AUTH_OTHER_PROJECT,
    ])
      expect(caseById(id).id).toBe(id);
    expect(caseById(POS_ALL_FORCED).checks).toEqual(
      expect.arrayContaining([
        'positive_data_acceptance',
        'sync_requested_instances_only',
        'sync_requested_channel',
        'sync_every_instance_when_forced',
      ]),
    );
    expect(caseById(NEG_FORCE_TYPE).checks).toContain('negative_data_rejection');
    expect(caseById(AUTH_MISSING).checks).toEqual(expect.arrayContaining(['ignored_auth', 'auth_status_conformance']));
  });
});

// --- each check: pass and fail ---------------------------------------------------------------------

/** The check names a failing scenario below was written for; compared with CHECKS at the end. */
const failingCovered = new Set<string>();
const passingCovered = new Set<string>();
const covers = (set: Set<string>, name: string) => set.add(name);

describe('not_a_server_error', () => {
  test('passes on a 201', async () => {
    route().reply(201, good201());
    expectPassed(await run(POS_ALL_FORCED), 'not_a_server_error');
    covers(passingCovered, 'not_a_server_error');
  });
  test('fails on a 500 (with a valid error body)', async () => {
    route().reply(500, errorBody('APIC.9000', 'internal'));
    const rec = await run(POS_ALL_UNFORCED);
    const k = expectFailed(rec, 'not_a_server_error', 'status_codes.not_a_server_error');
    expect(k.messages[0]).toMatch(/500/);
    covers(failingCovered, 'not_a_server_error');
  });
  test('fails on an undocumented 502 too', async () => {
    route().reply(502, 'bad gateway', { 'Content-Type': 'text/plain' });
    expectFailed(await run(NEG_FORCE_TYPE), 'not_a_server_error', 'status_codes.not_a_server_error');
  });
});

describe('status_code_conformance', () => {
  test('passes on the expected 201 and on the expected 400', async () => {
    route().reply(201, good201());
    expectPassed(await run(POS_ALL_FORCED), 'status_code_conformance');
    route().reply(400, errorBody());
    expectPassed(await run(NEG_FORCE_TYPE), 'status_code_conformance');
    covers(passingCovered, 'status_code_conformance');
  });
  test('fails on an undocumented 418 with status_codes.documented', async () => {
    route().reply(418, errorBody());
    const k = expectFailed(await run(POS_ALL_FORCED), 'status_code_conformance', 'status_codes.documented');
    expect(k.messages[0]).toMatch(/418/);
    covers(failingCovered, 'status_code_conformance');
  });
  test('a valid request answered 401 cites status_codes.success_201', async () => {
    route().reply(401, errorBody());
    expectFailed(await run(POS_ALL_UNFORCED), 'status_code_conformance', 'status_codes.success_201');
  });
  test('an invalid request answered 201 cites the broken rule', async () => {
    route().reply(201, valid201());
    expectFailed(await run(NEG_FORCE_TYPE), 'status_code_conformance', 'table3.force_sync.type');
  });
  test('stays silent on a 400 to a valid request (policy 4 belongs to positive_data_acceptance)', async () => {
    route().reply(400, errorBody());
    expect(checkOf(await run(POS_ALL_UNFORCED), 'status_code_conformance')).toBeUndefined();
  });
});

describe('content_type_conformance', () => {
  test('passes on application/json, parameters allowed', async () => {
    route().reply(201, JSON.stringify(good201()), { 'Content-Type': 'Application/JSON; charset=utf-8' });
    expectPassed(await run(POS_ALL_FORCED), 'content_type_conformance');
    covers(passingCovered, 'content_type_conformance');
  });
  test('fails on text/plain with response.content_type_json', async () => {
    route().reply(201, JSON.stringify(good201()), { 'Content-Type': 'text/plain' });
    const k = expectFailed(await run(POS_ALL_FORCED), 'content_type_conformance', 'response.content_type_json');
    expect(k.messages[0]).toContain('text/plain');
    covers(failingCovered, 'content_type_conformance');
  });
  test('fails on an error body without a JSON media type', async () => {
    route().reply(400, JSON.stringify(errorBody()), { 'Content-Type': 'text/html' });
    expectFailed(await run(NEG_FORCE_TYPE), 'content_type_conformance', 'response.content_type_json');
  });
});

describe('response_schema_conformance', () => {
  test('passes on a schema-valid 201', async () => {
    route().reply(201, good201());
    const rec = await run(POS_ALL_FORCED);
    expectPassed(rec, 'response_schema_conformance');
    covers(passingCovered, 'response_schema_conformance');
  });
  test('fails on port 65536 (Table 5 port maximum), naming table and parameter', async () => {
    const broken = breakRule('Response201', valid201(1), 'table5.port.maximum', fakerFor(1));
    expect(broken).not.toBeNull();
    route().reply(201, broken!.instance as Json);
    const k = expectFailed(await run(POS_ALL_FORCED), 'response_schema_conformance', 'table5.port.maximum');
    expect(k.messages.join('\n')).toContain('Table 5');
    expect(k.messages.join('\n')).toContain('port');
    expect(k.citations.find((c) => c.ruleId === 'table5.port.maximum')).toMatchObject({
      table: 'Table 5',
      parameter: 'port',
    });
    covers(failingCovered, 'response_schema_conformance');
  });
  test('fails on a non-JSON 201 with response.json_body', async () => {
    route().reply(201, '<html>created</html>', { 'Content-Type': 'application/json' });
    const rec = await run(POS_ALL_FORCED);
    expectFailed(rec, 'response_schema_conformance', 'response.json_body');
    // no sync_* verdict without a parsable body
    expect(rec.checks.filter((k) => k.check.startsWith('sync_'))).toEqual([]);
  });
  test('fails when the required list is missing (Table 4)', async () => {
    route().reply(201, {});
    const rec = await run(POS_ALL_FORCED);
    expect(checkOf(rec, 'response_schema_conformance')?.outcome).toBe('failed');
  });
  test('reports the rules it established: those of the fields present, none of the absent ones', async () => {
    const body = good201();
    const entry = (body.project_vpc_channels as Json[])[0];
    entry.dict_code = 'code_1';
    delete (body.project_vpc_channels as Json[])[1].dict_code;
    for (const e of body.project_vpc_channels as Json[]) delete e.microservice_info;
    route().reply(201, body);
    const k = expectPassed(await run(POS_ALL_FORCED), 'response_schema_conformance');
    expect(k.established).toEqual(
      expect.arrayContaining([
        'table4.project_vpc_channels.required',
        'table5.port.maximum',
        'table5.dict_code.pattern',
      ]),
    );
    expect(k.established!.filter((id) => id.startsWith('table5.microservice_info'))).toEqual([]);
    expect(k.established!.filter((id) => id.startsWith('table9.'))).toEqual([]);
  });
  test('a failing body still establishes the rules that held, never the broken one, and points at the value', async () => {
    const broken = breakRule('Response201', valid201(1), 'table5.port.maximum', fakerFor(1));
    route().reply(201, broken!.instance as Json);
    const k = expectFailed(await run(POS_ALL_FORCED), 'response_schema_conformance', 'table5.port.maximum');
    expect(k.established).toContain('table5.port.minimum');
    expect(k.established).not.toContain('table5.port.maximum');
    expect(k.offending?.response).toEqual([broken!.mutation.pointer]);
  });
});

describe('cross_field_conformance', () => {
  const withHealth = (patch: Json): Json => {
    const body = good201();
    const entry = (body.project_vpc_channels as Json[])[0];
    entry.vpc_health_config = { ...(entry.vpc_health_config as Json), ...patch };
    return body;
  };
  test('passes when timeout < time_interval, establishing that rule', async () => {
    route().reply(201, withHealth({ timeout: 5, time_interval: 10 }));
    const rec = await run(POS_ALL_FORCED);
    expect(expectPassed(rec, 'cross_field_conformance').established).toContain('table8.timeout.lt_time_interval');
    expect(rec.outcome).toBe('passed');
    covers(passingCovered, 'cross_field_conformance');
  });
  test('says nothing when no cross-field rule had its fields present', async () => {
    const body = good201();
    for (const e of body.project_vpc_channels as Json[]) {
      delete e.vpc_health_config;
      e.member_type = 'ip';
    }
    route().reply(201, body);
    const rec = await run(POS_ALL_FORCED);
    expect(checkOf(rec, 'cross_field_conformance')).toBeUndefined();
    expect(rec.outcome).toBe('passed');
  });
  const ecsEntry = (member: Json): Json => {
    const body = good201();
    const entry = (body.project_vpc_channels as Json[])[0];
    delete entry.vpc_health_config;
    entry.member_type = 'ecs';
    entry.members = [{ ecs_id: 'c2a1f7e0', ecs_name: 'ecs-web-01' }, member];
    return body;
  };
  test('fails with table7.ecs_id.required_if_member_type when a member of an ecs entry has no ecs_id', async () => {
    route().reply(201, ecsEntry({ ecs_name: 'ecs-web-02' }));
    const rec = await run(POS_ALL_FORCED);
    const k = expectFailed(rec, 'cross_field_conformance', 'table7.ecs_id.required_if_member_type');
    expect(k.messages.join('\n')).toContain(
      'Table 7 ecs_id [table7.ecs_id.required_if_member_type]: /project_vpc_channels/0/members/1 ecs_id is required when member_type of the enclosing ProjectVpcChannelInfo (Table 5) is ecs',
    );
    expect(k.citations.map((c) => c.ruleId)).toEqual(['table7.ecs_id.required_if_member_type']);
    expectPassed(rec, 'response_schema_conformance');
  });
  test('establishes the ECS rules when every member of an ecs entry has ecs_id and ecs_name', async () => {
    route().reply(201, ecsEntry({ ecs_id: 'd3b2a8f1', ecs_name: 'ecs-web-02' }));
    const k = expectPassed(await run(POS_ALL_FORCED), 'cross_field_conformance');
    expect(k.established).toEqual(
      expect.arrayContaining(['table7.ecs_id.required_if_member_type', 'table7.ecs_name.required_if_member_type']),
    );
  });
  test('fails with table8.timeout.lt_time_interval when timeout >= time_interval', async () => {
    const body = withHealth({ timeout: 30, time_interval: 30 });
    route().reply(201, body);
    const rec = await run(POS_ALL_FORCED);
    const k = expectFailed(rec, 'cross_field_conformance', 'table8.timeout.lt_time_interval');
    expect(k.messages.join('\n')).toContain('Table 8');
    // each value is within its own range: the schema check alone passes
    expectPassed(rec, 'response_schema_conformance');
    covers(failingCovered, 'cross_field_conformance');
  });
});

describe('error_payload_conformance', () => {
  test('passes on a documented 400 error body', async () => {
    route().reply(400, errorBody());
    const k = expectPassed(await run(NEG_FORCE_TYPE), 'error_payload_conformance');
    expect(k.citations.map((c) => c.ruleId)).toContain('table12.body.type');
    // An error body counts for the table of its status: Table 12 for a 400, never Table 13.
    expect(k.established).toEqual([
      'response.json_body',
      'table12.body.type',
      'table12.error_code.required',
      'table12.error_code.type',
      'table12.error_msg.required',
      'table12.error_msg.type',
    ]);
    covers(passingCovered, 'error_payload_conformance');
  });
  test('fails on a numeric error_code in a 400 (Table 12)', async () => {
    route().reply(400, errorBody(7211));
    expectFailed(await run(NEG_FORCE_TYPE), 'error_payload_conformance', 'table12.error_code.type');
    covers(failingCovered, 'error_payload_conformance');
  });
  test('fails on a numeric error_code in a 401 (Table 13)', async () => {
    route().reply(401, errorBody(401));
    expectFailed(await run(AUTH_MISSING), 'error_payload_conformance', 'table13.error_code.type');
  });
  test('fails on a missing error_msg and on a non-JSON error body', async () => {
    route().reply(400, { error_code: 'APIC.7211' });
    expectFailed(await run(NEG_FORCE_TYPE), 'error_payload_conformance', 'table12.error_msg.required');
    route().reply(400, 'Bad Request', { 'Content-Type': 'application/json' });
    expectFailed(await run(NEG_FORCE_TYPE), 'error_payload_conformance', 'response.json_body');
  });
});

describe('negative_data_rejection', () => {
  test('passes when the invalid request is rejected with 400', async () => {
    route().reply(400, errorBody());
    const k = expectPassed(await run(NEG_FORCE_TYPE), 'negative_data_rejection');
    expect(k.citations[0].ruleId).toBe('table3.force_sync.type');
    expect(k.established).toEqual(['table3.force_sync.type']);
    covers(passingCovered, 'negative_data_rejection');
  });
  test('fails with the case rule id when a schema-invalid case is answered 201', async () => {
    route().reply(201, good201());
    const c = caseById(NEG_FORCE_TYPE);
    const k = expectFailed(await run(c), 'negative_data_rejection', c.ruleId);
    expect(k.messages[0]).toContain('/force_sync');
    expect(k.offending).toEqual({ request: ['/force_sync'] });
    covers(failingCovered, 'negative_data_rejection');
  });
  test('fails for a wire-invalid body answered 201 too', async () => {
    route().reply(201, valid201());
    expectFailed(await run(NEG_WIRE), 'negative_data_rejection', 'table3.body.type');
  });
});

describe('positive_data_acceptance', () => {
  test('passes on 201', async () => {
    route().reply(201, valid201());
    expectPassed(await run(POS_ALL_UNFORCED), 'positive_data_acceptance');
    covers(passingCovered, 'positive_data_acceptance');
  });
  test('a 400 without force_sync is a warning, not a failure', async () => {
    route().reply(400, errorBody('APIC.7300', 'no such state'));
    const rec = await run(POS_ALL_UNFORCED);
    const k = checkOf(rec, 'positive_data_acceptance')!;
    expect(k.outcome).toBe('warning');
    expect(k.citations.map((c) => c.ruleId)).toContain('status_codes.success_201');
    expect(k.messages[0]).toContain('APIC.7300');
    expect(rec.outcome).toBe('warning');
  });
  test('a 400 with force_sync true fails with table3.force_sync.must_succeed', async () => {
    route().reply(400, errorBody());
    expectFailed(await run(POS_ALL_FORCED), 'positive_data_acceptance', 'table3.force_sync.must_succeed');
    covers(failingCovered, 'positive_data_acceptance');
  });
  test('a 403 to a valid request fails', async () => {
    route().reply(403, errorBody());
    expectFailed(await run(POS_EMPTY), 'positive_data_acceptance', 'status_codes.success_201');
  });
});

describe('ignored_auth', () => {
  test('passes when a missing token is refused (and no token is sent)', async () => {
    route({ badheaders: ['x-auth-token'] }).reply(401, errorBody('APIC.7102', 'no token'));
    expectPassed(await run(AUTH_MISSING), 'ignored_auth');
    covers(passingCovered, 'ignored_auth');
  });
  test('fails with table2.X-Auth-Token.required when a missing token gets 201', async () => {
    const scope = route({ badheaders: ['x-auth-token'] }).reply(201, valid201());
    expectFailed(await run(AUTH_MISSING), 'ignored_auth', 'table2.X-Auth-Token.required');
    expect(scope.isDone()).toBe(true);
    covers(failingCovered, 'ignored_auth');
  });
  test("fails with auth.other_project_rejected when another project's path gets 201", async () => {
    const c = caseById(AUTH_OTHER_PROJECT);
    const scope = nock(ORIGIN)
      .post(`/v2/${c.projectId}/apic/vpc-channels/syncs`)
      .matchHeader('x-auth-token', TOKEN)
      .reply(201, valid201());
    expectFailed(await run(c), 'ignored_auth', 'auth.other_project_rejected');
    expect(scope.isDone()).toBe(true);
  });
  test('does not apply to an ordinary valid request', async () => {
    route().matchHeader('x-auth-token', TOKEN).reply(201, good201());
    expect(checkOf(await run(POS_ALL_FORCED), 'ignored_auth')).toBeUndefined();
  });
});

describe('auth_status_conformance', () => {
  test('passes on 401 to a missing token and on 403 to a token without permission', async () => {
    route().reply(401, errorBody());
    expectPassed(await run(AUTH_MISSING), 'auth_status_conformance');
    route().matchHeader('x-auth-token', FORBIDDEN).reply(403, errorBody());
    expectPassed(await run(AUTH_FORBIDDEN), 'auth_status_conformance');
    covers(passingCovered, 'auth_status_conformance');
  });
  test('fails with auth.missing_or_unknown_token_401 on 403 to a missing token', async () => {
    route().reply(403, errorBody());
    expectFailed(await run(AUTH_MISSING), 'auth_status_conformance', 'auth.missing_or_unknown_token_401');
    covers(failingCovered, 'auth_status_conformance');
  });
  test('fails with auth.no_permission_403 on 401 to the forbidden token', async () => {
    route().reply(401, errorBody());
    expectFailed(await run(AUTH_FORBIDDEN), 'auth_status_conformance', 'auth.no_permission_403');
  });
  // Without real ids an auth case names made-up ones: a 400 may mean the body was read first (policy 8).
  const madeUp = (id: string) => buildCases({ ...ctx, vpcChannelIds: [], instanceIds: [] }).find((c) => c.id === id)!;
  test('a 400 to an auth case with made-up ids is a warning: the body was checked before the credentials', async () => {
    expect(madeUp(AUTH_MISSING).madeUpIds).toBe(true);
    route().reply(400, errorBody());
    const rec = await run(madeUp(AUTH_MISSING));
    expect(rec.outcome).toBe('warning');
    const k = checkOf(rec, 'auth_status_conformance')!;
    expect(k).toMatchObject({ outcome: 'warning' });
    expect(k.messages[0]).toMatch(/the body was checked before the credentials/);
    expect(checkOf(rec, 'status_code_conformance')).toBeUndefined();
  });
  test('a 400 to an auth case with real ids (a valid body) fails', async () => {
    expect(caseById(AUTH_MISSING).madeUpIds).toBeUndefined();
    route().reply(400, errorBody());
    expectFailed(await run(AUTH_MISSING), 'auth_status_conformance', 'auth.missing_or_unknown_token_401');
  });
  test('a 403 to a missing token still fails when the ids are made up: only 400 can be the body read first', async () => {
    route().reply(403, errorBody());
    expectFailed(await run(madeUp(AUTH_MISSING)), 'auth_status_conformance', 'auth.missing_or_unknown_token_401');
  });
});

describe('sync_requested_instances_only', () => {
  test('passes with one entry per requested instance', async () => {
    route().reply(
      201,
      syncBody([
        ['c1', 'i1'],
        ['c1', 'i2'],
      ]),
    );
    expectPassed(await run(POS_ALL_FORCED), 'sync_requested_instances_only');
    covers(passingCovered, 'sync_requested_instances_only');
  });
  test('fails on an entry for an instance that was not requested', async () => {
    route().reply(
      201,
      syncBody([
        ['c1', 'i1'],
        ['c1', 'i2'],
        ['c1', 'i3'],
      ]),
    );
    const k = expectFailed(
      await run(POS_ALL_FORCED),
      'sync_requested_instances_only',
      'function.sync.requested_instances_only',
    );
    expect(k.messages.join('\n')).toContain('i3');
    expect(k.citations[0].inference).toBe(true);
    covers(failingCovered, 'sync_requested_instances_only');
  });
  test('fails on more entries than requested ids for one channel', async () => {
    route().reply(
      201,
      syncBody([
        ['c1', 'i1'],
        ['c1', 'i1'],
        ['c1', 'i2'],
      ]),
    );
    expectFailed(
      await run(POS_ALL_UNFORCED),
      'sync_requested_instances_only',
      'function.sync.requested_instances_only',
    );
  });
});

describe('an instance id that does not exist among known ones (a negative.not-found variant)', () => {
  const mixed = (): Case => {
    const c = buildCases({ ...ctx, examples: 12 }).find((x) => x.unknownAmongKnown?.length);
    if (!c) throw new Error('no mixed not-found variant in 12 examples');
    const known = (c.body as { json: { instance_ids: string[] } }).json.instance_ids.filter(
      (i) => !c.unknownAmongKnown!.includes(i),
    );
    return {
      ...c,
      body: { json: { vpc_channel_id: 'c1', instance_ids: [...known, c.unknownAmongKnown![0]], force_sync: true } },
    };
  };
  test('201 with entries for the known ones only passes (policy 3), even forced', async () => {
    const c = mixed();
    const known = (c.body as { json: { instance_ids: string[] } }).json.instance_ids.slice(0, -1);
    route().reply(201, syncBody(known.map((i) => ['c1', i] as [string, string])));
    const rec = await run(c);
    expect(rec.outcome, rec.failures.join('\n')).toBe('passed');
    expectPassed(rec, 'sync_requested_instances_only');
    expectPassed(rec, 'sync_every_instance_when_forced');
  });
  test('a 4xx passes too', async () => {
    route().reply(400, errorBody());
    expect((await run(mixed())).outcome).toBe('passed');
  });
  test('201 with an entry for the id that does not exist fails through table3.instance_ids.known', async () => {
    const c = mixed();
    const ids = (c.body as { json: { instance_ids: string[] } }).json.instance_ids;
    route().reply(201, syncBody(ids.map((i) => ['c1', i] as [string, string])));
    const k = expectFailed(await run(c), 'sync_requested_instances_only', 'table3.instance_ids.known');
    expect(k.messages[0]).toBe(`an entry for instance ${c.unknownAmongKnown![0]}, which does not exist`);
  });
});

describe('sync_requested_channel', () => {
  test('passes when every entry carries the requested channel', async () => {
    route().reply(201, syncBody([['c1', 'i1']]));
    expectPassed(await run(POS_ALL_UNFORCED), 'sync_requested_channel');
    covers(passingCovered, 'sync_requested_channel');
  });
  test('fails on an entry of another channel', async () => {
    route().reply(
      201,
      syncBody([
        ['c1', 'i1'],
        ['c2', 'i2'],
      ]),
    );
    const k = expectFailed(await run(POS_ALL_UNFORCED), 'sync_requested_channel', 'function.sync.requested_channel');
    expect(k.messages.join('\n')).toContain('"c2"');
    covers(failingCovered, 'sync_requested_channel');
  });
  test('does not apply when no channel was named', async () => {
    route().reply(201, syncBody([['c9', 'i1']]));
    expect(checkOf(await run(POS_EMPTY), 'sync_requested_channel')).toBeUndefined();
  });
});

describe('sync_every_instance_when_forced', () => {
  test('passes when every requested instance has an entry', async () => {
    route().reply(
      201,
      syncBody([
        ['c1', 'i2'],
        ['c1', 'i1'],
      ]),
    );
    expectPassed(await run(POS_ALL_FORCED), 'sync_every_instance_when_forced');
    covers(passingCovered, 'sync_every_instance_when_forced');
  });
  test('fails when a requested instance is missing although force_sync is true', async () => {
    route().reply(201, syncBody([['c1', 'i1']]));
    const k = expectFailed(
      await run(POS_ALL_FORCED),
      'sync_every_instance_when_forced',
      'function.sync.every_requested_instance_when_forced',
    );
    expect(k.messages.join('\n')).toContain('i2');
    covers(failingCovered, 'sync_every_instance_when_forced');
  });
  test('does not apply without force_sync', async () => {
    route().reply(201, syncBody([['c1', 'i1']]));
    expect(checkOf(await run(POS_ALL_UNFORCED), 'sync_every_instance_when_forced')).toBeUndefined();
  });
});

describe('sync_every_instance_when_forced and optional instance_id', () => {
  test('entries without instance_id may stand for the instances not named (policy 5)', async () => {
    const body = syncBody([
      ['c1', 'i1'],
      ['c1', 'i2'],
    ]);
    for (const e of body.project_vpc_channels as Json[]) delete e.instance_id;
    route().reply(201, body);
    expect(checkOf(await run(POS_ALL_FORCED), 'sync_every_instance_when_forced')?.outcome).toBe('passed');
  });
  test('but not for more missing instances than there are such entries', async () => {
    const body = syncBody([['c1', 'i1']]);
    delete (body.project_vpc_channels as Json[])[0].instance_id;
    route().reply(201, body);
    expectFailed(
      await run(POS_ALL_FORCED),
      'sync_every_instance_when_forced',
      'function.sync.every_requested_instance_when_forced',
    );
  });
});

describe('sync_entry_self_consistent', () => {
  test("passes when each entry's health check names the entry's own channel", async () => {
    route().reply(201, good201());
    expectPassed(await run(POS_ALL_FORCED), 'sync_entry_self_consistent');
    covers(passingCovered, 'sync_entry_self_consistent');
  });
  test('fails when the health check names another channel, citing Table 8 vpc_channel_id (inference)', async () => {
    const body = good201();
    ((body.project_vpc_channels as Json[])[1].vpc_health_config as Json).vpc_channel_id = 'c7';
    route().reply(201, body);
    const k = expectFailed(
      await run(POS_ALL_FORCED),
      'sync_entry_self_consistent',
      'table8.vpc_channel_id.same_as_entry_id',
    );
    expect(k.messages).toEqual(['the entry with id "c1" has a health check of channel "c7"']);
    expect(k.offending).toEqual({ response: ['/project_vpc_channels/1/vpc_health_config/vpc_channel_id'] });
    expect(k.citations[0]).toMatchObject({ table: 'Table 8', parameter: 'vpc_channel_id', inference: true });
    covers(failingCovered, 'sync_entry_self_consistent');
  });
  test('says nothing when an entry lacks either id (both optional)', async () => {
    const body = good201();
    for (const e of body.project_vpc_channels as Json[]) delete e.vpc_health_config;
    route().reply(201, body);
    expect(checkOf(await run(POS_ALL_FORCED), 'sync_entry_self_consistent')).toBeUndefined();
  });
});

describe('equivalent_form_conformance', () => {
  const PRETTY = 'positive.equivalent.pretty-printed';
  const LOWER = 'positive.equivalent.header-names-lower';
  const ofForm = (rec: CaseRecord) => rec.checks.find((k) => k.check === 'equivalent_form_conformance');
  const answers = (...replies: [number, unknown][]) => {
    let scope = route();
    for (const [status, body] of replies) scope = scope.reply(status, body as Json).post(PATH);
  };
  test('passes when the form gets the same entries, in another order', async () => {
    answers(
      [201, good201()],
      [
        201,
        syncBody([
          ['c1', 'i2'],
          ['c1', 'i1'],
        ]),
      ],
    );
    const rec = await run(PRETTY);
    expect(rec.outcome).toBe('passed');
    expect(ofForm(rec)).toMatchObject({
      outcome: 'passed',
      exchange: 1,
      citations: [{ ruleId: 'wire.equivalent_json' }],
    });
    covers(passingCovered, 'equivalent_form_conformance');
  });
  test('fails when the form is refused while the canonical form succeeded, naming the form', async () => {
    answers([201, good201()], [400, errorBody('APIG.2012', 'malformed JSON')]);
    const rec = await run(PRETTY);
    const k = ofForm(rec)!;
    expect(k).toMatchObject({
      outcome: 'failed',
      exchange: 1,
      citations: [{ ruleId: 'wire.equivalent_json', inference: true }],
    });
    expect(k.messages[0]).toMatch(
      /^request 2 of 2 \(pretty-printed\): the pretty-printed form was answered 400 .*, the canonical form 201/,
    );
    covers(failingCovered, 'equivalent_form_conformance');
  });
  test('fails when the form gets other entries; a header form cites RFC 9110', async () => {
    answers([201, good201()], [201, syncBody([['c1', 'i1']])]);
    const k = ofForm(await run(LOWER))!;
    expect(k).toMatchObject({ outcome: 'failed', citations: [{ ruleId: 'wire.equivalent_http', table: 'RFC 9110' }] });
    expect(k.messages[0]).toContain('missing c1 / i2');
  });
  test('says nothing when the canonical form itself was not answered 201 (its own checks speak)', async () => {
    answers([400, errorBody()], [201, good201()]);
    expect(ofForm(await run(PRETTY))).toBeUndefined();
  });
});

describe('coverage of CHECKS', () => {
  test('every check in CHECKS has a passing and a failing scenario above', (t) => {
    if (failingCovered.size === 0 && passingCovered.size === 0) t.skip('the scenarios were filtered out of this run');
    expect([...failingCovered].sort()).toEqual(Object.keys(CHECKS).sort());
    expect([...passingCovered].sort()).toEqual(Object.keys(CHECKS).sort());
  });
});

// --- engine: retries, redaction, curl, transport -----------------------------------------------------

describe('engine', () => {
  test('429 twice then 201 is retried and passes (3 attempts)', async () => {
    const scope = route()
      .times(2)
      .reply(429, errorBody('APIC.0429', 'slow down'), { 'Retry-After': '1' })
      .post(PATH)
      .reply(201, good201());
    const started = performance.now();
    const rec = await run(POS_ALL_FORCED);
    expect(rec.outcome).toBe('passed');
    expect(rec.attempts).toBe(3);
    expect(rec.response?.status).toBe(201);
    expect(scope.isDone()).toBe(true);
    expect(performance.now() - started).toBeLessThan(1500); // waits are capped at maxWaitMs
  });

  test('a persistent 429 is not_run and inconclusive, never a verdict', async () => {
    route().times(3).reply(429, errorBody('APIC.0429', 'slow down'));
    const rec = await run(POS_ALL_FORCED);
    expect(rec.outcome).toBe('not_run');
    expect(rec.inconclusive).toBe('throttled');
    expect(rec.attempts).toBe(3);
    expect(rec.checks).toEqual([]);
    expect(rec.reason).toMatch(/429/);
  });

  test('503 with Retry-After is retried; 503 without it is a server error', async () => {
    route().reply(503, errorBody(), { 'Retry-After': '0' }).post(PATH).reply(201, good201());
    const ok = await run(POS_ALL_UNFORCED);
    expect(ok.outcome).toBe('passed');
    expect(ok.attempts).toBe(2);
    route().reply(503, errorBody());
    const bad = await run(POS_ALL_UNFORCED);
    expect(bad.attempts).toBe(1);
    expectFailed(bad, 'not_a_server_error', 'status_codes.not_a_server_error');
  });

  test('a token echoed in headers and body never reaches the CaseRecord; curl uses $TOKEN', async () => {
    const body = { ...good201(), echo: `you sent ${TOKEN}`, nested: { again: TOKEN } };
    const scope = route()
      .matchHeader('x-auth-token', TOKEN)
      .reply(201, body, { 'X-Echo-Token': TOKEN, 'Set-Cookie': `token=${TOKEN}` });
    const rec = await run(POS_ALL_FORCED);
    expect(scope.isDone()).toBe(true);
    expect(rec.response?.status).toBe(201);
    expect(rec.outcome).toBe('passed');
    const text = JSON.stringify(rec);
    expect(text).not.toContain(TOKEN);
    expect(rec.request?.headers['X-Auth-Token']).toBe('[REDACTED]');
    expect(rec.response?.headers['x-echo-token']).toBe('[REDACTED]');
    expect(rec.response?.headers['set-cookie']).toBe('token=[REDACTED]');
    expect(rec.curl).toContain('"X-Auth-Token: $TOKEN"');
    expect(rec.curl).not.toContain(TOKEN);
    expect(rec.curl).toMatch(
      /^curl -sS -i --compressed -X POST 'http:\/\/conformance\.test\/v2\/p1\/apic\/vpc-channels\/syncs'/,
    );
  });

  // Regression: the paths of undocumented response fields go into CaseRecord.notes; a server that
  // echoes the token as a JSON *key* must not put it there (run-case.ts redacts the notes).
  test('a token echoed as a JSON key does not leak through CaseRecord.notes', async () => {
    route().reply(201, { ...good201(), [TOKEN]: 'as a key' });
    const rec = await run(POS_ALL_FORCED);
    expect(rec.notes).toEqual(['undocumented response field [REDACTED] (allowed, policy 5, docs/POLICY.md)']);
    expect(JSON.stringify(rec)).not.toContain(TOKEN);
  });

  test('the forbidden token appears as $FORBIDDEN_TOKEN and is redacted', async () => {
    route().reply(403, { ...errorBody(), detail: FORBIDDEN });
    const rec = await run(AUTH_FORBIDDEN);
    expect(rec.curl).toContain('"X-Auth-Token: $FORBIDDEN_TOKEN"');
    expect(JSON.stringify(rec)).not.toContain(FORBIDDEN);
  });

  test('a failing check message that quotes the token is redacted', async () => {
    // the instance id in the message is the token: the message must not carry it
    route().reply(
      201,
      syncBody([
        ['c1', 'i1'],
        ['c1', TOKEN],
      ]),
    );
    const rec = await run(POS_ALL_FORCED);
    expect(checkOf(rec, 'sync_requested_instances_only')?.outcome).toBe('failed');
    expect(JSON.stringify(rec)).not.toContain(TOKEN);
  });

  test('a reply delayed past the deadline is a timeout, quickly', async () => {
    route().delay(5000).reply(201, valid201());
    const started = performance.now();
    const state = freshState();
    const rec = await run(POS_ALL_FORCED, state, { ...target, timeoutMs: 300 });
    const elapsed = performance.now() - started;
    expect(rec.outcome).toBe('timeout');
    expect(rec.checks[0]).toMatchObject({ check: 'transport', outcome: 'failed' });
    expect(rec.checks[0].citations[0].ruleId).toBe('transport.answers');
    expect(rec.failures[0]).toMatch(/300 ms/);
    expect(elapsed).toBeLessThan(2000);
    expect(state.consecutiveTimeouts).toBe(1);
  });

  test('three consecutive timeouts and an unanswered preflight stop the run: later cases are not_run', async () => {
    const state = freshState();
    const t = { ...target, timeoutMs: 150 };
    for (let i = 0; i < 2; i++) {
      route().delay(3000).reply(201, valid201());
      expect((await run(POS_ALL_FORCED, state, t)).outcome).toBe('timeout');
    }
    route().delay(3000).reply(201, valid201());
    const probe = nock(ORIGIN).post(PATH, isPreflight).delay(3000).reply(400, errorBody());
    expect((await run(POS_ALL_FORCED, state, t)).outcome).toBe('timeout');
    expect(probe.isDone()).toBe(true); // the preflight was sent again after the third timeout
    expect(state.stopped).toMatch(/3 consecutive .* the preflight sent after them went unanswered/);
    expect(state.stoppedBy).toBe('target');
    const scope = route().reply(201, valid201());
    const rec = await run(POS_ALL_FORCED, state, t);
    expect(rec).toMatchObject({
      outcome: 'not_run',
      reason: state.stopped,
      enable: expect.stringMatching(/--timeout-ms/),
    });
    expect(rec.inconclusive).toBeUndefined(); // the timeouts already failed the run
    expect(scope.isDone()).toBe(false); // nothing was sent
  });

  test('timeouts confined to one kind of request: the preflight answers, so the run goes on', async () => {
    const state = freshState();
    const t = { ...target, timeoutMs: 150 };
    for (let i = 0; i < 3; i++) route().delay(3000).reply(201, valid201());
    const probe = nock(ORIGIN).post(PATH, isPreflight).reply(400, errorBody());
    for (let i = 0; i < 3; i++) expect((await run(POS_ALL_FORCED, state, t)).outcome).toBe('timeout');
    expect(probe.isDone()).toBe(true);
    expect(state.consecutiveTimeouts).toBe(0);
    expect(state.stopped).toBeUndefined();
    route().reply(201, good201());
    expect((await run(POS_ALL_FORCED, state, t)).outcome).toBe('passed');
  });

  test('a 401 to the valid token, then a 401 to the preflight: the token expired, the run ends, no failure', async () => {
    const state = freshState();
    route().reply(401, errorBody('APIG.1002', 'Incorrect token'));
    const probe = nock(ORIGIN).post(PATH, isPreflight).reply(401, errorBody('APIG.1002', 'Incorrect token'));
    const rec = await run(POS_ALL_FORCED, state);
    expect(probe.isDone()).toBe(true);
    expect(rec).toMatchObject({ outcome: 'not_run', inconclusive: 'credential', failures: [] });
    expect(rec.reason).toMatch(/token expired or revoked/);
    expect(state.stoppedBy).toBe('credential');
    const later = route().reply(201, good201());
    expect((await run(NEG_FORCE_TYPE, state)).outcome).toBe('not_run');
    expect(later.isDone()).toBe(false);
  });

  test('a 401 to the valid token while the preflight still passes: the answer is judged as the API gave it', async () => {
    route().reply(401, errorBody('APIG.1002', 'Incorrect token'));
    nock(ORIGIN).post(PATH, isPreflight).matchHeader('x-auth-token', TOKEN).reply(400, errorBody());
    const control = nock(ORIGIN).post(PATH, isPreflight).reply(401, errorBody('APIG.1002', 'Incorrect token'));
    const state = freshState();
    const rec = await run(POS_ALL_FORCED, state);
    expect(control.isDone()).toBe(true);
    expect(rec.outcome).toBe('failed');
    expect(state.stopped).toBeUndefined();
  });

  test('a 401 to the valid token on a target that reads the body first: the preflight cannot tell, the run ends', async () => {
    route().reply(401, errorBody('APIG.1002', 'Incorrect token'));
    nock(ORIGIN).post(PATH, isPreflight).times(2).reply(400, errorBody()); // the token's and the control's alike
    const state = freshState();
    const rec = await run(POS_ALL_FORCED, state);
    expect(rec).toMatchObject({ outcome: 'not_run', inconclusive: 'credential', failures: [] });
    expect(rec.reason).toMatch(/the preflight cannot tell otherwise/);
  });

  test('a credential check that renews (an IAM login) makes the case go out once more and the run go on', async () => {
    const renewed: string[] = [];
    const iam: CredentialCheck = {
      async recheck(t) {
        t.token = 'renewed-token-000000';
        renewed.push(t.token);
        return 'renewed';
      },
    };
    route().matchHeader('x-auth-token', TOKEN).reply(401, errorBody('APIG.1002', 'Incorrect token'));
    const again = route().matchHeader('x-auth-token', 'renewed-token-000000').reply(201, good201());
    const t = { ...target };
    const rec = await runCase(caseById(POS_ALL_FORCED), t, info, freshState(), iam);
    expect(renewed).toHaveLength(1);
    expect(again.isDone()).toBe(true);
    expect(rec.outcome).toBe('passed');
  });

  test('a connection reset is failed with transport.complete_response', async () => {
    // nock 14 needs an Error instance here: a plain object ({ code: 'ECONNRESET' }) never errors the
    // request (nock calls req.destroy(obj) and the request just hangs; see the next test).
    route().replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const state = freshState();
    const rec = await run(POS_ALL_FORCED, state);
    expect(rec.outcome).toBe('failed');
    expect(rec.checks[0].check).toBe('transport');
    expect(rec.checks[0].citations.map((c) => c.ruleId)).toContain('transport.complete_response');
    expect(rec.failures[0]).toContain('transport.complete_response');
    expect(state.consecutiveTimeouts).toBe(0);
  });

  test('replyWithError with a plain object hangs under nock 14: the deadline still bounds it (timeout)', async () => {
    route().replyWithError({ code: 'ECONNRESET' });
    const started = performance.now();
    const rec = await run(POS_ALL_FORCED, freshState(), { ...target, timeoutMs: 300 });
    expect(rec.outcome).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('a body beyond the read cap is cut and failed with transport.bounded_body', async () => {
    route().reply(201, JSON.stringify({ ...valid201(), filler: 'x'.repeat(20_000) }), {
      'Content-Type': 'application/json',
    });
    const rec = await run(POS_ALL_FORCED, freshState(), { ...target, maxBodyBytes: 4096 });
    expect(rec.outcome).toBe('failed');
    expect(rec.checks[0].citations[0].ruleId).toBe('transport.bounded_body');
    expect(rec.response?.bodyTruncated).toBe(true);
  });

  test('undocumented response fields are notes, not failures', async () => {
    route().reply(201, { ...good201(), extra_field: 1 });
    const rec = await run(POS_ALL_FORCED);
    expect(rec.outcome).toBe('passed');
    expect(rec.notes).toEqual(['undocumented response field extra_field (allowed, policy 5, docs/POLICY.md)']);
  });

  test('a "valid" case that breaks the request schema is our error, not a verdict, and is not sent', async () => {
    const scope = route().reply(201, valid201());
    const c: Case = { ...caseById(POS_ALL_FORCED), body: { json: { force_sync: 'yes' } } };
    const rec = await run(c);
    expect(rec.outcome).toBe('error');
    expect(rec.reason).toMatch(/our bug/);
    expect(scope.isDone()).toBe(false);
  });

  test('what was sent is recorded: method, url, body, content type', async () => {
    let seen: unknown;
    route()
      .matchHeader('content-type', 'application/json')
      .reply(201, (_uri, body) => {
        seen = body;
        return good201();
      });
    const rec = await run(POS_ALL_FORCED);
    expect(seen).toEqual({ vpc_channel_id: 'c1', instance_ids: ['i1', 'i2'], force_sync: true });
    expect(rec.request).toMatchObject({ method: 'POST', url: `${ORIGIN}${PATH}`, body: JSON.stringify(seen) });
  });
});

// --- cases of several requests ------------------------------------------------------------------------

const TWICE = 'positive.forced-twice'; // c1, [i2, i1], force_sync true, sent twice
const twiceBody = () =>
  syncBody([
    ['c1', 'i2'],
    ['c1', 'i1'],
  ]);

describe('a case of several requests', () => {
  test('sends them in order and judges every answer; a passed case shows its first exchange', async () => {
    const bodies: unknown[] = [];
    const scope = route()
      .times(2)
      .reply(201, (_uri, body) => (bodies.push(body), twiceBody()));
    const rec = await run(TWICE);
    expect(scope.isDone()).toBe(true);
    expect(bodies).toEqual([caseById(TWICE).body, caseById(TWICE).body].map((b) => (b as { json: unknown }).json));
    expect(rec.outcome).toBe('passed');
    expect(rec.exchanges?.map((x) => [x.label, x.outcome, x.response?.status])).toEqual([
      ['first', 'passed', 201],
      ['again', 'passed', 201],
    ]);
    expect(rec.decidingExchange).toBe(0);
    expect(rec.request).toEqual(rec.exchanges![0].request);
    expect(rec.curl).toBe(rec.exchanges![0].curl);
    for (const x of rec.exchanges!) {
      expect(x.curl).toMatch(/^curl .*\$TOKEN/);
      expect(x.durationMs).toBeGreaterThanOrEqual(0);
    }
    // Every answer was judged: each check once per exchange, each result saying which.
    const acceptance = rec.checks.filter((k) => k.check === 'positive_data_acceptance');
    expect(acceptance.map((k) => [k.exchange, k.outcome])).toEqual([
      [0, 'passed'],
      [1, 'passed'],
    ]);
  });

  test('a refused second answer fails the case, which shows that exchange and says which request it was', async () => {
    route().reply(201, twiceBody()).post(PATH).reply(400, errorBody('APIG.2012', 'already submitted'));
    const rec = await run(TWICE);
    expect(rec.outcome).toBe('failed');
    expect(rec.decidingExchange).toBe(1);
    expect(rec.response?.status).toBe(400);
    expect(rec.exchanges?.map((x) => x.outcome)).toEqual(['passed', 'failed']);
    const k = rec.checks.find((x) => x.check === 'positive_data_acceptance' && x.exchange === 1)!;
    expect(k).toMatchObject({ outcome: 'failed', citations: [{ ruleId: 'table3.force_sync.must_succeed' }] });
    expect(k.messages[0]).toMatch(/^request 2 of 2 \(again\): a valid request with force_sync true was refused/);
    expect(rec.failures).toEqual([expect.stringMatching(/^\[positive_data_acceptance\] request 2 of 2 \(again\): /)]);
    const text = failureText(rec);
    expect(text).toMatch(/^sent 1 of 2 \(first, passed\): POST /m);
    expect(text).toMatch(/^got 2 of 2 \(again, failed\): 400 /m);
    expect(text).toMatch(/^reproduce 1 of 2: curl /m);
    expect(text).toMatch(/^reproduce 2 of 2: curl /m);
  });

  test('no request follows one that got no answer: the rest are recorded as not sent', async () => {
    const scope = route().delay(3000).reply(201, twiceBody()).post(PATH).reply(201, twiceBody());
    const rec = await run(TWICE, freshState(), { ...target, timeoutMs: 200 });
    expect(rec.outcome).toBe('timeout');
    expect(rec.exchanges?.map((x) => [x.label, x.outcome])).toEqual([
      ['first', 'timeout'],
      ['again', 'not_run'],
    ]);
    expect(rec.exchanges![1].response).toBeUndefined();
    expect(rec.exchanges![1].durationMs).toBeUndefined();
    expect(rec.exchanges![1].curl).toMatch(/^curl /); // what would have been sent, to reproduce by hand
    expect(scope.pendingMocks()).toHaveLength(1);
  });

  test('a throttled later request leaves the case not_run and inconclusive, never a pass', async () => {
    route().reply(201, twiceBody()).post(PATH).times(3).reply(429, errorBody('APIC.0429', 'slow down'));
    const rec = await run(TWICE);
    expect(rec.outcome).toBe('not_run');
    expect(rec.inconclusive).toBe('throttled');
    expect(rec.reason).toMatch(/^request 2 of 2 \(again\): throttled/);
  });

  test('a step whose bytes carry another JSON value is our error, and nothing is sent', async () => {
    const scope = route().reply(201, twiceBody());
    const c = caseById(TWICE);
    const rec = await run({ ...c, requests: [{ label: 'first' }, { label: 'odd', text: '{"force_sync":false}' }] });
    expect(rec.outcome).toBe('error');
    expect(rec.reason).toMatch(/request "odd": the bytes on the wire carry another JSON value/);
    expect(scope.isDone()).toBe(false);
  });

  test('header names go on the wire in the letter case a step asks for; curl and records keep it, tokens hidden', async () => {
    const seen: string[][] = [];
    const server = createServer((req, res) => {
      seen.push(req.rawHeaders.filter((_h, i) => i % 2 === 0));
      req.resume();
      req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(twiceBody())));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const c: Case = {
        ...caseById(TWICE),
        requests: [
          { label: 'lower', headerNames: 'lower' },
          { label: 'upper', headerNames: 'upper' },
        ],
      };
      const rec = await run(c, freshState(), { ...target, baseUrl: url });
      expect(rec.outcome).toBe('passed');
      expect(seen[0]).toEqual(expect.arrayContaining(['content-type', 'x-auth-token']));
      expect(seen[1]).toEqual(expect.arrayContaining(['CONTENT-TYPE', 'X-AUTH-TOKEN']));
      expect(rec.exchanges![0].curl).toContain('"x-auth-token: $TOKEN"');
      // The record holds every header that went out, Node's own (Content-Length, Connection) included.
      expect(Object.keys(rec.exchanges![1].request.headers)).toEqual(seen[1]);
      expect(rec.exchanges![1].request.headers).toMatchObject({
        'CONTENT-TYPE': 'application/json',
        'X-AUTH-TOKEN': '[REDACTED]',
        'ACCEPT-ENCODING': 'gzip, deflate, br',
      });
      expect(JSON.stringify(rec)).not.toContain(TOKEN);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

// --- determinism -----------------------------------------------------------------------------------

describe('determinism of buildCases', () => {
  test('the same seed gives deep-equal lists', () => {
    expect(buildCases(ctx)).toEqual(buildCases(ctx));
    expect(buildCases({ ...ctx, stressRepeats: 25 })).toEqual(buildCases({ ...ctx, stressRepeats: 25 }));
  });
  test('another seed changes generated values but not the ids', () => {
    const a = buildCases(ctx);
    const b = buildCases({ ...ctx, seed: 2 });
    expect(b.map((c) => c.id)).toEqual(a.map((c) => c.id));
    expect(b.map((c) => c.seed)).not.toEqual(a.map((c) => c.seed));
    const unknownToken = (cs: Case[]) => cs.find((c) => c.id === 'auth.unknown-token')!.token;
    expect(unknownToken(b)).not.toEqual(unknownToken(a));
    const notFound = (cs: Case[]) =>
      JSON.stringify((cs.find((c) => c.id === 'negative.not-found.channel')!.body as { json: unknown }).json);
    expect(notFound(b)).not.toEqual(notFound(a));
    const repeats = (seed: number) =>
      buildCases({ ...ctx, seed, stressRepeats: 40 }).filter((c) => c.id.startsWith('positive.repeat.'));
    expect(repeats(2).map((c) => c.id)).toEqual(repeats(1).map((c) => c.id));
    expect(repeats(2).map((c) => JSON.stringify(c.body))).not.toEqual(repeats(1).map((c) => JSON.stringify(c.body)));
  });
  test('stress repeats only add cases: the default cases are unchanged', () => {
    const base = buildCases(ctx);
    const more = buildCases({ ...ctx, stressRepeats: 10 });
    expect(more.length).toBe(base.length + 10);
    expect(more.filter((c) => !c.id.startsWith('positive.repeat.'))).toEqual(base);
  });
});

describe('selecting cases (--case)', () => {
  test('an exact id, or a pattern where * stands for any text; other characters are literal', () => {
    const ids = (...patterns: string[]) => selectCases(ctx, patterns).map((c) => c.id);
    expect(ids('auth.missing-token')).toEqual(['auth.missing-token']);
    expect(ids('negative.table3.force_sync.*')).toEqual([
      'negative.table3.force_sync.type.null',
      'negative.table3.force_sync.type.wrong-type',
    ]);
    expect(ids('auth.*-token', 'negative.wire.empty-body')).toEqual([
      'auth.forbidden-token',
      'auth.malformed-token',
      'auth.missing-token',
      'auth.unknown-token',
      'negative.wire.empty-body',
    ]);
    expect(ids('auth.missing.token')).toEqual([]); // "." is not a wildcard
    expect(ids('auth')).toEqual([]); // no implicit prefix match
    expect(ids('*')).toEqual(buildCases(ctx).map((c) => c.id));
    expect(caseMatcher(['a(b)[c]+?$^|\\*'])('a(b)[c]+?$^|\\xyz')).toBe(true);
  });
});
