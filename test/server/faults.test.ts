// Every fault switch is observably different from the reference on at least one request, and breaks the
// rule it names: this is what proves each check of the conformance suite can fail.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRule, validateResponseBody } from '../../schemas/index.ts';
import {
  DEFAULT_FIXTURES,
  FAULTS,
  startReferenceServer,
  TOKEN_LIFETIME,
  type FaultName,
  type ReferenceServer,
} from '../../server/index.ts';
import { sign } from '../../suites/engine/aksk.ts';
import { asResponse, authed, contentType, jsonOf, routeOf, send, type Outcome, type Req } from './helpers.ts';

const F = DEFAULT_FIXTURES;
const [IP_CH] = F.vpcChannelIds;
const [I1, I2] = F.instanceIds;
const DEF = { fixtures: F };
const EXAMPLE = { vpc_channel_id: IP_CH, instance_ids: [I1, I2] };

// The requests that expose faults.
const valid = (body: unknown = {}): Req => ({ path: routeOf(DEF), headers: authed(DEF), body: JSON.stringify(body) });
const invalidBody: Req = { path: routeOf(DEF), headers: authed(DEF), body: '{"instance_ids": 5}' };
const noToken: Req = { path: routeOf(DEF), headers: { 'content-type': 'application/json' }, body: '{}' };
const forbidden: Req = { path: routeOf(DEF), headers: { 'x-auth-token': F.forbiddenToken }, body: '{}' };
const otherProject: Req = { path: routeOf(DEF, 'ffffffffffffffffffffffffffffffff'), headers: authed(DEF), body: '{}' };

/** A request signed with the fixture AK/SK over `signedBody`, sent with `body`, its X-Sdk-Date `date`. */
function signedReq(signedBody: string, body = signedBody, date = new Date()): Req {
  const path = routeOf(DEF);
  const headers = { Host: 'reference.test', 'Content-Type': 'application/json' };
  const req = { method: 'POST', url: `http://reference.test${path}`, headers, body: Buffer.from(signedBody) };
  return { path, headers: sign(req, F.accessKey, date), body };
}
const EXAMPLE_TEXT = JSON.stringify(EXAMPLE);

interface Probe {
  /** Sent to both servers first, when the fault shows only on a later request. */
  prime?: Req;
  req: Req;
  /** Requests the faulty server gets first (a fault that shows only after some use). */
  warmUp?: Req[];
  /** Fault-specific expectations on top of "differs from the reference". */
  check(faulty: Outcome, ref: Outcome, server: ReferenceServer): void | Promise<void>;
}

const breaksRule = (ruleId: string) => (o: Outcome) => {
  expect(asResponse(o).status).toBe(201);
  expect(validateResponseBody(201, jsonOf(o)).map((v) => v.ruleId)).toContain(ruleId);
};
const errorBodyBreaks = (ruleId: string) => (o: Outcome) => {
  expect(asResponse(o).status).toBe(400);
  expect(validateResponseBody(400, jsonOf(o)).map((v) => v.ruleId)).toContain(ruleId);
};
const statusIs = (status: number) => (o: Outcome) => expect(asResponse(o).status).toBe(status);
const entries = (o: Outcome) => jsonOf(o).project_vpc_channels as Record<string, any>[];

/** Rules a body fault may break besides its own, because they go together (an integer is never in a string enum). */
const ALSO_BROKEN: Partial<Record<FaultName, string[]>> = { 't5-type-as-integer': ['table5.type.enum'] };

/**
 * A body fault breaks its rule, and only its rule, on every 201 that has an entry: all channels, and each
 * channel alone (the page's example names the ip channel, which has no ecs member and no microservice).
 */
const bodyFault = (name: FaultName): Probe => {
  const ruleId = FAULTS.find((f) => f.name === name)!.ruleId!;
  const onlyItsRule = (o: Outcome) => {
    breaksRule(ruleId)(o);
    const ids = new Set(validateResponseBody(201, jsonOf(o)).map((v) => v.ruleId));
    expect([...ids].sort()).toEqual([ruleId, ...(ALSO_BROKEN[name] ?? [])].sort());
  };
  return {
    req: valid(),
    check: async (o, _ref, server) => {
      onlyItsRule(o);
      onlyItsRule(await send(server.url, valid(EXAMPLE)));
      for (const ch of F.vpcChannelIds)
        onlyItsRule(await send(server.url, valid({ vpc_channel_id: ch, instance_ids: [I2] })));
    },
  };
};

const PROBES: Record<FaultName, Probe> = {
  't4-missing-list': bodyFault('t4-missing-list'),
  't4-list-not-array': bodyFault('t4-list-not-array'),
  't5-port-out-of-range': bodyFault('t5-port-out-of-range'),
  't5-name-wrong-type': bodyFault('t5-name-wrong-type'),
  't5-balance-strategy-enum': bodyFault('t5-balance-strategy-enum'),
  't5-name-pattern': bodyFault('t5-name-pattern'),
  't5-name-too-long': bodyFault('t5-name-too-long'),
  't5-missing-name': bodyFault('t5-missing-name'),
  't5-type-as-integer': bodyFault('t5-type-as-integer'),
  't5-create-time-format': bodyFault('t5-create-time-format'),
  't6-weight-out-of-range': bodyFault('t6-weight-out-of-range'),
  't6-dict-code-too-short': bodyFault('t6-dict-code-too-short'),
  't6-name-wrong-type': bodyFault('t6-name-wrong-type'),
  't7-weight-out-of-range': bodyFault('t7-weight-out-of-range'),
  't7-port-wrong-type': bodyFault('t7-port-wrong-type'),
  't7-status-enum': bodyFault('t7-status-enum'),
  't7-host-too-long': bodyFault('t7-host-too-long'),
  't7-ecs-name-pattern': bodyFault('t7-ecs-name-pattern'),
  't7-ecs-id-missing': bodyFault('t7-ecs-id-missing'),
  't7-ecs-name-missing': bodyFault('t7-ecs-name-missing'),
  't8-protocol-lowercase': bodyFault('t8-protocol-lowercase'),
  't8-timeout-out-of-range': bodyFault('t8-timeout-out-of-range'),
  't8-threshold-wrong-type': bodyFault('t8-threshold-wrong-type'),
  't8-http-code-pattern': bodyFault('t8-http-code-pattern'),
  't8-timeout-not-less': bodyFault('t8-timeout-not-less'),
  't8-path-missing': bodyFault('t8-path-missing'),
  't8-http-code-missing': bodyFault('t8-http-code-missing'),
  't8-missing-protocol': bodyFault('t8-missing-protocol'),
  't8-method-enum': bodyFault('t8-method-enum'),
  't9-service-type-enum': bodyFault('t9-service-type-enum'),
  't9-id-wrong-type': bodyFault('t9-id-wrong-type'),
  't10-engine-id-too-long': bodyFault('t10-engine-id-too-long'),
  't10-version-wrong-type': bodyFault('t10-version-wrong-type'),
  't11-workload-type-enum': bodyFault('t11-workload-type-enum'),
  't11-cluster-id-too-long': bodyFault('t11-cluster-id-too-long'),
  'success-200': {
    req: valid(),
    check: (o, ref) => {
      expect(asResponse(o).status).toBe(200);
      expect(jsonOf(o)).toEqual(jsonOf(ref));
    },
  },
  'undocumented-status': {
    req: invalidBody,
    check: (o) => {
      expect(asResponse(o).status).toBe(422);
      expect(validateResponseBody(400, jsonOf(o))).toEqual([]); // a valid error body, only the status is wrong
    },
  },
  'server-error-on-bad-input': {
    req: invalidBody,
    check: (o) => {
      expect(asResponse(o).status).toBe(500);
      expect(validateResponseBody(500, jsonOf(o))).toEqual([]);
    },
  },
  'auth-ignored': { req: noToken, check: statusIs(201) },
  'auth-missing-as-403': { req: noToken, check: statusIs(403) },
  'auth-missing-as-400': { req: noToken, check: statusIs(400) },
  'forbidden-as-401': { req: forbidden, check: statusIs(401) },
  // The reference answers both 401; each fault accepts the one its unchecked part lets through.
  'aksk-body-unhashed': { req: signedReq(EXAMPLE_TEXT, `${EXAMPLE_TEXT} `), check: statusIs(201) },
  'aksk-date-unchecked': {
    req: signedReq(EXAMPLE_TEXT, EXAMPLE_TEXT, new Date(Date.now() + 24 * 3600 * 1000)),
    check: statusIs(201),
  },
  'other-project-accepted': { req: otherProject, check: statusIs(201) },
  'error-no-code': { req: invalidBody, check: errorBodyBreaks('table12.error_code.required') },
  'error-code-not-string': { req: invalidBody, check: errorBodyBreaks('table12.error_code.type') },
  'error-msg-not-string': { req: invalidBody, check: errorBodyBreaks('table12.error_msg.type') },
  'error-plain-text': {
    req: invalidBody,
    check: (o) => {
      expect(contentType(o)).toMatch(/^text\/plain/);
      expect(asResponse(o).text).toBe('Bad Request');
    },
  },
  'accept-invalid': {
    req: invalidBody,
    check: async (o, _ref, server) => {
      expect(asResponse(o).status).toBe(201);
      const malformed = await send(server.url, { ...valid(), body: '{"instance_ids": [' });
      expect(asResponse(malformed).status).toBe(201);
    },
  },
  // The preflight body tools used before the ids that do not exist: the lenient server syncs everything on it.
  'lenient-wrong-type': {
    req: valid({ instance_ids: 'preflight' }),
    check: (o) => {
      expect(asResponse(o).status).toBe(201);
      expect(entries(o)).toHaveLength(F.vpcChannelIds.length * F.instanceIds.length);
    },
  },
  'unknown-ids-accepted': {
    req: valid({ vpc_channel_id: 'f'.repeat(32), instance_ids: [I1] }),
    check: (o) => {
      expect(asResponse(o).status).toBe(201);
      expect(entries(o)).toEqual([]);
    },
  },
  'refuse-valid': {
    req: valid({ force_sync: true }),
    check: (o) => {
      expect(asResponse(o).status).toBe(400);
      expect(jsonOf(o).error_code).toBe('APIG.2012');
    },
  },
  'success-text-plain': {
    req: valid(),
    check: (o, ref) => {
      expect(contentType(o)).toMatch(/^text\/plain/);
      expect(jsonOf(o)).toEqual(jsonOf(ref));
    },
  },
  'success-not-json': {
    req: valid(),
    check: (o) => {
      expect(contentType(o)).toMatch(/^application\/json/);
      expect(() => jsonOf(o)).toThrow();
    },
  },
  hang: { req: { ...valid(), timeoutMs: 600 }, check: (o) => expect(o.kind).toBe('timeout') },
  'hang-on-force-sync': {
    req: { ...valid({ force_sync: true }), timeoutMs: 600 },
    check: async (o, _ref, server) => {
      expect(o.kind).toBe('timeout');
      expect(asResponse(await send(server.url, valid({ force_sync: false }))).status).toBe(201);
    },
  },
  'token-expires': {
    req: valid(),
    warmUp: Array.from({ length: TOKEN_LIFETIME }, () => valid()),
    check: (o) => expect(asResponse(o).status).toBe(401),
  },
  'drop-connection': { req: valid(), check: (o) => expect(o.kind).toBe('error') },
  'endless-body': {
    req: { ...valid(), maxBytes: 2 * 1024 * 1024, timeoutMs: 5_000 },
    check: (o) => {
      const r = asResponse(o);
      expect([r.status, r.truncated]).toEqual([201, true]);
      expect(contentType(r)).toMatch(/^application\/json/);
    },
  },
  'sync-extra-instance': {
    req: valid(EXAMPLE),
    check: (o) => expect(entries(o).some((e) => !EXAMPLE.instance_ids.includes(e.instance_id))).toBe(true),
  },
  'sync-wrong-channel': {
    req: valid(EXAMPLE),
    check: (o) => expect(entries(o).some((e) => e.id !== IP_CH)).toBe(true),
  },
  'header-names-case-sensitive': {
    req: valid(EXAMPLE), // authed() spells the header x-auth-token
    check: async (o, _ref, server) => {
      expect(asResponse(o).status).toBe(401);
      const exact = { ...valid(EXAMPLE), headers: { 'Content-Type': 'application/json', 'X-Auth-Token': F.token } };
      expect(asResponse(await send(server.url, exact)).status).toBe(201);
    },
  },
  'media-type-params-refused': {
    req: { ...valid(EXAMPLE), headers: authed(DEF, { 'content-type': 'application/json; charset=utf-8' }) },
    check: async (o, _ref, server) => {
      expect(asResponse(o).status).toBe(400);
      expect(asResponse(await send(server.url, valid(EXAMPLE))).status).toBe(201);
    },
  },
  'whitespace-refused': {
    req: { ...valid(), body: JSON.stringify(EXAMPLE, null, 2) },
    check: async (o, _ref, server) => {
      expect(asResponse(o).status).toBe(400);
      expect(asResponse(await send(server.url, valid(EXAMPLE))).status).toBe(201);
    },
  },
  'key-order-sensitive': {
    req: { ...valid(), body: JSON.stringify({ instance_ids: [I1], vpc_channel_id: IP_CH }) },
    check: (o) => expect(new Set(entries(o).map((e) => e.id))).toEqual(new Set(F.vpcChannelIds)),
  },
  'escapes-unread': {
    req: {
      ...valid(),
      body: `{"vpc_channel_id":"\\u${IP_CH.charCodeAt(0).toString(16).padStart(4, '0')}${IP_CH.slice(1)}"}`,
    },
    check: (o) => expect(asResponse(o).status).toBe(400),
  },
  'coerce-id-shapes': {
    req: valid({ vpc_channel_id: [IP_CH], instance_ids: `${I1},${I2}` }),
    check: (o) => expect(entries(o).map((e) => e.instance_id)).toEqual([I1, I2]),
  },
  'sync-first-n-instances': {
    req: valid({ vpc_channel_id: IP_CH, instance_ids: [F.instanceIds[2], I1], force_sync: true }),
    check: (o) => expect(entries(o).map((e) => e.instance_id)).toEqual([I1, I2]),
  },
  'sync-duplicates-drop-last': {
    req: valid({ vpc_channel_id: IP_CH, instance_ids: [I1, I2, I1], force_sync: true }),
    check: async (o, _ref, server) => {
      expect(entries(o).map((e) => e.instance_id)).toEqual([I1]);
      const distinct = await send(server.url, valid({ ...EXAMPLE, force_sync: true }));
      expect(entries(distinct).map((e) => e.instance_id)).toEqual([I1, I2]);
    },
  },
  'entry-health-channel-mismatch': {
    req: valid(EXAMPLE),
    check: (o) => {
      expect(validateResponseBody(201, jsonOf(o))).toEqual([]); // schema-valid: only the ids disagree
      for (const e of entries(o)) expect(e.vpc_health_config.vpc_channel_id).not.toBe(e.id);
    },
  },
  'refuse-identical-repeat': {
    prime: valid({ ...EXAMPLE, force_sync: true }),
    req: valid({ ...EXAMPLE, force_sync: true }),
    check: async (o, _ref, server) => {
      expect(asResponse(o).status).toBe(400);
      expect(validateResponseBody(400, jsonOf(o))).toEqual([]);
      // Only the very same bytes count as a repeat: the same value in other bytes is served.
      const spaced = { ...valid(), body: JSON.stringify({ ...EXAMPLE, force_sync: true }, null, 1) };
      expect(asResponse(await send(server.url, spaced)).status).toBe(201);
    },
  },
  'sync-missing-entries': {
    req: valid({ ...EXAMPLE, force_sync: true }),
    check: (o) => expect(entries(o).map((e) => e.instance_id)).toEqual([I1]),
  },
  'echo-token': {
    req: valid(),
    check: (o) => {
      expect(asResponse(o).headers['x-echo-token']).toBe(F.token);
      expect(jsonOf(o).echo).toBe(F.token);
    },
  },
  'throttle-always': {
    req: valid(),
    check: (o) => {
      const r = asResponse(o);
      expect([r.status, r.headers['retry-after']]).toEqual([429, '0']);
      expect(typeof jsonOf(r).error_code).toBe('string');
    },
  },
  'throttle-once': {
    req: valid(),
    check: async (o, ref, server) => {
      const r = asResponse(o);
      expect([r.status, r.headers['retry-after']]).toEqual([503, '0']);
      const retry = asResponse(await send(server.url, valid()));
      expect(retry.status).toBe(201);
      expect(retry.text).toBe(asResponse(ref).text);
    },
  },
};

/** What a client can observe: status, media type, body text and the headers faults play with. */
function signature(o: Outcome): string {
  if (o.kind !== 'response') return o.kind;
  const h = o.headers;
  return JSON.stringify([o.status, h['content-type'], h['retry-after'], h['x-echo-token'], o.truncated, o.text]);
}

let ref: ReferenceServer;
beforeAll(async () => {
  ref = await startReferenceServer();
});
afterAll(() => ref.close());

describe('fault metadata', () => {
  it('names are unique and every rule id is in the compiled registry', () => {
    expect(new Set(FAULTS.map((f) => f.name)).size).toBe(FAULTS.length);
    for (const f of FAULTS) {
      expect(f.name).toMatch(/^[a-z0-9-]+$/);
      expect(f.description.length).toBeGreaterThan(0);
      if (f.ruleId !== null) expect(hasRule(f.ruleId), `${f.name}: ${f.ruleId}`).toBe(true);
    }
  });
  it('the reference answers every exposing request conformantly', async () => {
    const o = await send(ref.url, valid());
    expect(validateResponseBody(201, jsonOf(o))).toEqual([]);
  });
});

describe.each(FAULTS.map((f) => [f.name, f] as const))('fault %s', (name, info) => {
  it(`differs from the reference (${info.ruleId ?? 'no rule'})`, async () => {
    const probe = PROBES[name];
    const server = await startReferenceServer({ fault: name });
    try {
      if (probe.prime) for (const url of [ref.url, server.url]) await send(url, probe.prime);
      for (const r of probe.warmUp ?? []) await send(server.url, r);
      const expected = await send(ref.url, probe.req);
      const got = await send(server.url, probe.req);
      expect(signature(got)).not.toBe(signature(expected));
      await probe.check(got, expected, server);
    } finally {
      const t0 = Date.now();
      await server.close();
      expect(Date.now() - t0).toBeLessThan(1_000); // hung/streaming sockets must not hold close()
    }
  });
});

describe('transport faults leave the server usable', () => {
  it('close() does not wait for a hung request', async () => {
    const server = await startReferenceServer({ fault: 'hang' });
    const pending = send(server.url, { ...valid(), timeoutMs: 5_000 });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await server.close();
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect((await pending).kind).toBe('error');
  });

  it('endless-body stops writing when the client goes away', async () => {
    const server = await startReferenceServer({ fault: 'endless-body' });
    try {
      for (let i = 0; i < 5; i++) {
        const o = await send(server.url, { ...valid(), maxBytes: 256 * 1024 });
        expect(asResponse(o).truncated).toBe(true);
      }
      // Still answering (another streaming 201) after the earlier clients left.
      const again = await send(server.url, { ...valid(), maxBytes: 1024 });
      expect(asResponse(again).status).toBe(201);
    } finally {
      await server.close();
    }
  });
});
