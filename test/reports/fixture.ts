// A small hand-written RunReport covering every outcome, with secrets planted where an
// upstream redaction slip could leave them (a request header, response bodies, a URL, a note).

import type { CaseRecord, Citation, RunReport } from '../../reports/model.ts';

/** Fake IAM token: `+`, `/` and `=` make its URL-encoded form differ from the raw one. */
export const SECRET = 'MIIEfakeTok3n+a/b=c==';
/** Fake password: `"`, `&`, `<`, `>` make its JSON and XML forms differ from the raw one. */
export const PASSWORD = 'p@ss"w&rd<1>';
export const SECRETS = [SECRET, PASSWORD];

const BASE = 'https://roma.example.com/v2/0123456789abcdef/apic/vpc-channels/syncs';

export const RULES = {
  instanceIds: {
    ruleId: 'table3.instance_ids.type',
    table: 'Table 3',
    parameter: 'instance_ids',
    text: 'Array of strings. List of newly associated instances.',
  },
  errorBody: {
    ruleId: 'table12.error_body',
    table: 'Table 12',
    parameter: 'error_code',
    text: 'Status code: 400. error_code String Error code.',
  },
  schema201: {
    ruleId: 'table4.response_schema',
    table: 'Table 4',
    parameter: 'project_vpc_channels',
    text: 'List of project VPC channels.',
  },
  authToken: {
    ruleId: 'table2.x_auth_token',
    table: 'Table 2',
    parameter: 'X-Auth-Token',
    text: 'User token, which can be obtained by calling the IAM API (value of X-Subject-Token in the response header).',
  },
  forceSync: { ruleId: 'table3.force_sync.default', table: 'Table 3', parameter: 'force_sync', text: 'Default: false' },
  no5xx: {
    ruleId: 'robustness.no_unlisted_status',
    table: 'Status Codes',
    parameter: '(any)',
    text: 'Status codes: 201, 400, 401, 403, 500 | nothing else',
    inference: true,
  },
} satisfies Record<string, Citation>;

/** A body full of things that could break Markdown: backtick runs, pipes, JSON escapes, a heading. */
export const NASTY_BODY =
  '{"name":"a|b","note":"```` not a fence ````","esc":"\\"\\\\\\n\\t\\u0000","html":"<b>#x</b>"}';

/** A warning that quotes a leaked password: reaches junit.xml (system-out) and conformance.md. */
export const UNKNOWN_FIELD = `response has undocumented field "x_extra" (value ${PASSWORD})`;

const curl = (body: string) =>
  `curl -sS -X POST '${BASE}' -H 'Content-Type: application/json' -H "X-Auth-Token: $TOKEN" --data-raw '${body}'`;

function base(id: string, suite: CaseRecord['suite'], rule: Citation, outcome: CaseRecord['outcome']): CaseRecord {
  return {
    id,
    suite,
    kind: 'valid',
    description: `case ${id}`,
    rule,
    seed: id.length * 7919,
    outcome,
    checks: [],
    failures: [],
  };
}

const post = (body: string | null, url = BASE) => ({
  method: 'POST',
  url,
  headers: { 'Content-Type': 'application/json', 'X-Auth-Token': '[REDACTED]' },
  body,
});

const res = (status: number, body: string, durationMs: number) => ({
  status,
  headers: { 'content-type': 'application/json' },
  body,
  bodyTruncated: false,
  durationMs,
});

const check = (name: string, outcome: 'passed' | 'failed' | 'warning', rule: Citation, messages: string[] = []) => ({
  check: name,
  outcome,
  messages,
  citations: [rule],
});

function cases(): CaseRecord[] {
  const ok = '{"project_vpc_channels":[]}';
  const wrongType =
    '{"vpc_channel_id":"04be10fd3a3f424fac9f603df3297a06","instance_ids":"ddd73cde017890908ae0117d67bf7330"}';
  const numType = '{"instance_ids":[1,2]}';
  return [
    // Deliberately not sorted by id: reporters must sort.
    {
      ...base('positive.response.unknown_fields', 'positive', RULES.schema201, 'warning'),
      checks: [check('unknown_response_fields', 'warning', RULES.schema201, [UNKNOWN_FIELD])],
      request: post(ok),
      // Upstream forgot to redact: the token is echoed in a response header and body (with "/" escaped).
      response: {
        ...res(201, `{"project_vpc_channels":[],"x_extra":"${SECRET.replace('/', '\\/')}"}`, 12),
        headers: { 'x-echo-token': SECRET },
      },
      failures: [UNKNOWN_FIELD],
      curl: curl(ok),
    },
    {
      ...base('negative.table3.instance_ids.type.string', 'negative', RULES.instanceIds, 'failed'),
      kind: 'schema-invalid',
      checks: [
        check('status_code', 'failed', RULES.instanceIds, ['expected status 400, got 201']),
        check('error_body_schema', 'failed', RULES.errorBody, [
          "error body: must have required property 'error_code'\nat path /",
        ]),
        check('no_secret_echo', 'passed', RULES.authToken),
      ],
      request: post(wrongType),
      response: res(201, NASTY_BODY, 40),
      failures: ['expected status 400, got 201', "error body: must have required property 'error_code'\nat path /"],
      curl: curl(wrongType),
    },
    {
      ...base('negative.table3.instance_ids.type.number', 'negative', RULES.instanceIds, 'failed'),
      kind: 'schema-invalid',
      checks: [check('status_code', 'failed', RULES.instanceIds, ['expected status 400, got 201 \u0007(bell)'])],
      request: post(numType),
      response: res(201, ok, 35),
      failures: ['expected status 400, got 201 \u0007(bell)'],
      curl: curl(numType),
      attempts: 2,
    },
    {
      ...base('positive.example_request', 'positive', RULES.schema201, 'passed'),
      checks: [
        check('status_code', 'passed', RULES.schema201),
        check('response_schema_conformance', 'passed', RULES.schema201),
      ],
      request: post(ok),
      response: res(201, ok, 20),
      curl: curl(ok),
      effect: 'sync',
      synced: [{ channel: '04be10fd3a3f424fac9f603df3297a06', instance: `ddd7|${SECRET}` }],
    },
    {
      ...base('robustness.large_body', 'robustness', RULES.no5xx, 'timeout'),
      kind: 'stress',
      // The token leaked into a query string, URL-encoded.
      request: post(`{"instance_ids":["${'a'.repeat(40)}"]}`, `${BASE}?probe=${encodeURIComponent(SECRET)}`),
      failures: ['no response within 30000 ms'],
      curl: curl('{"instance_ids":["…"]}'),
    },
    {
      ...base('negative.vpc_channel_id.not_found', 'negative', RULES.errorBody, 'not_run'),
      kind: 'not-found',
      reason: 'rate limit budget exhausted before this case',
      enable: 'raise the | budget',
    },
    {
      ...base('auth.token.expired', 'auth', RULES.authToken, 'skipped'),
      kind: 'auth',
      reason: 'no expired token supplied (--expired-token)',
      enable: 'give --expired-token',
    },
    {
      ...base('positive.force_sync.true', 'positive', RULES.forceSync, 'waived'),
      reason: 'ROMA-1234: force_sync ignored | fix pending',
      checks: [check('status_code', 'failed', RULES.forceSync, ['expected status 201, got 400'])],
      request: post('{"force_sync":true}'),
      response: res(400, '{"error_code":"APIG.2011","error_msg":"bad"}', 18),
      curl: curl('{"force_sync":true}'),
    },
    {
      ...base('auth.token.missing', 'auth', RULES.authToken, 'error'),
      kind: 'auth',
      reason: "TypeError: Cannot read properties of undefined (reading 'status')",
      request: post(ok),
      failures: [
        "TypeError: Cannot read properties of undefined (reading 'status')\n    at checkStatus (suites/auth.ts:42:7)",
      ],
      curl: curl(ok),
    },
    {
      ...base('auth.token.invalid', 'auth', RULES.authToken, 'passed'),
      kind: 'auth',
      checks: [check('status_code', 'passed', RULES.authToken)],
      request: post(ok),
      response: res(401, '{"error_code":"APIG.1002","error_msg":"Incorrect token or token resolution failed"}', 9),
      curl: curl(ok),
    },
  ];
}

/** A fresh copy each call, so tests may mutate it. */
export function makeReport(): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'roma-vpc-sync-conformance', version: '0.1.0' },
    node: 'v20.19.0',
    timestamp: '2025-11-25T18:00:00.000Z',
    pageSha256: 'a'.repeat(64),
    schemasSha256: 'b'.repeat(64),
    target: { url: 'https://roma.example.com', embedded: false },
    seed: 42,
    durationMs: 1234,
    verdict: 'not_conformant',
    exitCode: 1,
    summary: { passed: 2, failed: 2, timeout: 1, not_run: 1, skipped: 1, waived: 1, warning: 1, error: 1, total: 10 },
    coverage: [
      { status: 201, hit: true, cases: 5 },
      { status: 400, hit: true, cases: 1 },
      { status: 401, hit: true, cases: 1 },
      { status: 403, hit: false, cases: 0 },
      { status: 500, hit: false, cases: 0 },
    ],
    ruleCoverage: [
      {
        ruleId: 'table2.x_auth_token',
        table: 'Table 2',
        parameter: 'X-Auth-Token',
        status: 'passed',
        failed: 0,
        passed: 1,
        example: 'auth.token.invalid',
      },
      {
        ruleId: 'table3.force_sync.default',
        table: 'Table 3',
        parameter: 'force_sync',
        status: 'waived',
        failed: 1,
        passed: 0,
        example: 'positive.force_sync.true',
      },
      {
        ruleId: 'table3.instance_ids.type',
        table: 'Table 3',
        parameter: 'instance_ids',
        status: 'failed',
        failed: 2,
        passed: 0,
        example: 'negative.table3.instance_ids.type.number',
      },
      {
        ruleId: 'table4.response_schema',
        table: 'Table 4',
        parameter: 'project_vpc_channels',
        status: 'passed',
        failed: 0,
        passed: 1,
        example: 'positive.example_request',
      },
      {
        ruleId: 'table5.dict_code.pattern',
        table: 'Table 5',
        parameter: 'dict_code',
        status: 'not_observed',
        failed: 0,
        passed: 0,
      },
      {
        ruleId: 'table12.error_body',
        table: 'Table 12',
        parameter: 'error_code',
        status: 'failed',
        failed: 1,
        passed: 0,
        example: 'negative.table3.instance_ids.type.string',
      },
      {
        ruleId: 'table15.error_code.type',
        table: 'Table 15',
        parameter: 'error_code|<b>',
        status: 'not_tested',
        failed: 0,
        passed: 0,
      },
      {
        ruleId: 'robustness.no_unlisted_status',
        table: 'Status Codes',
        parameter: '(any)',
        status: 'failed',
        failed: 1,
        passed: 0,
        example: 'robustness.large_body',
      },
    ],
    waivers: [
      {
        ruleId: 'table3.force_sync.default',
        reason: 'ROMA-1234: force_sync ignored | fix pending',
        expires: '2026-12-31',
        expired: false,
        used: 1,
      },
      {
        ruleId: 'status.403',
        reason: 'no IAM user without permissions',
        expires: '2024-01-01',
        expired: true,
        used: 0,
      },
    ],
    warnings: [`the token preflight was answered 201 | token ${SECRET}`],
    judged: 7,
    effects: { sync: { cases: 1, judged: 1 }, maybe: { cases: 0, judged: 0 }, none: { cases: 2, judged: 2 } },
    preflight: [
      {
        credential: 'token',
        body: '{"vpc_channel_id":"f79dfb08bc55b2f1eaf71a434fd0574c"}',
        status: 201,
        meaning: 'accepted a request it must refuse',
      },
      {
        credential: 'forbidden-token',
        body: '{}',
        error: 'no complete answer within the timeout',
        meaning: 'no answer',
      },
    ],
    sideEffects: {
      given: { vpcChannelIds: ['04be10fd3a3f424fac9f603df3297a06'], instanceIds: ['ddd73cde017890908ae0117d67bf7330'] },
      pairs: [
        {
          channel: '04be10fd3a3f424fac9f603df3297a06',
          instance: `ddd7|${SECRET}`,
          cases: 1,
          firstCase: 'positive.example_request',
          named: false,
        },
      ],
      more: 0,
    },
    skipGroups: [
      {
        outcome: 'skipped',
        reason: 'no expired token supplied (--expired-token)',
        enable: 'give --expired-token',
        count: 1,
        cases: ['auth.token.expired'],
      },
      {
        outcome: 'not_run',
        reason: 'rate limit budget exhausted before this case',
        enable: 'raise the | budget',
        count: 1,
        cases: ['negative.vpc_channel_id.not_found'],
      },
    ],
    notes: [
      'unknown response field `x_extra` seen in 1 response',
      `login echoed the password ${PASSWORD} in a response`,
    ],
    cases: cases(),
  };
}
