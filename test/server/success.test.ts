// The reference server's 201 answers: schema-valid for a spread of requests, and doing what the page's
// Function text says (the requested channel to the requested instances, in request order).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateResponseBody } from '../../schemas/index.ts';
import { DEFAULT_FIXTURES, startReferenceServer, type ReferenceServer } from '../../server/index.ts';
import { authed, contentType, jsonOf, routeOf, send } from './helpers.ts';

const [IP_CH, ECS_CH, MS_CH] = DEFAULT_FIXTURES.vpcChannelIds;
const [I1, I2, I3] = DEFAULT_FIXTURES.instanceIds;

let s: ReferenceServer;
beforeAll(async () => {
  s = await startReferenceServer();
});
afterAll(() => s.close());

async function sync(body: unknown) {
  const o = await send(s.url, { path: routeOf(s), headers: authed(s), body: JSON.stringify(body) });
  expect(o.kind).toBe('response');
  if (o.kind !== 'response') throw new Error('unreachable');
  expect(o.status).toBe(201);
  expect(contentType(o)).toBe('application/json');
  const json = jsonOf(o);
  expect(validateResponseBody(201, json)).toEqual([]);
  return json.project_vpc_channels as Record<string, any>[];
}

const pairs = (entries: Record<string, any>[]) => entries.map((e) => [e.id, e.instance_id]);

describe('201 answers', () => {
  const spread: [string, unknown, [string, string][]][] = [
    ['no body fields', {}, [IP_CH, ECS_CH, MS_CH].flatMap((c) => [I1, I2, I3].map((i) => [c, i] as [string, string]))],
    [
      'channel only (ip)',
      { vpc_channel_id: IP_CH },
      [
        [IP_CH, I1],
        [IP_CH, I2],
        [IP_CH, I3],
      ],
    ],
    [
      'channel only (ecs)',
      { vpc_channel_id: ECS_CH },
      [
        [ECS_CH, I1],
        [ECS_CH, I2],
        [ECS_CH, I3],
      ],
    ],
    [
      'channel only (microservice)',
      { vpc_channel_id: MS_CH },
      [
        [MS_CH, I1],
        [MS_CH, I2],
        [MS_CH, I3],
      ],
    ],
    [
      'instances only',
      { instance_ids: [I3, I1] },
      [
        [IP_CH, I3],
        [IP_CH, I1],
        [ECS_CH, I3],
        [ECS_CH, I1],
        [MS_CH, I3],
        [MS_CH, I1],
      ],
    ],
    [
      'the page example (both)',
      { vpc_channel_id: IP_CH, instance_ids: [I1, I2] },
      [
        [IP_CH, I1],
        [IP_CH, I2],
      ],
    ],
    ['force_sync true', { vpc_channel_id: ECS_CH, instance_ids: [I2], force_sync: true }, [[ECS_CH, I2]]],
    ['force_sync false', { vpc_channel_id: MS_CH, instance_ids: [I2], force_sync: false }, [[MS_CH, I2]]],
    [
      'duplicate instances de-duplicated',
      { vpc_channel_id: IP_CH, instance_ids: [I2, I1, I2, I1] },
      [
        [IP_CH, I2],
        [IP_CH, I1],
      ],
    ],
    ['empty instance list', { instance_ids: [] }, []],
    [
      'unknown properties ignored',
      { vpc_channel_id: IP_CH, instance_ids: [I1], extra: { deep: [1, null] }, id: 5 },
      [[IP_CH, I1]],
    ],
  ];
  it.each(spread)('%s: schema-valid, requested pairs in order', async (_name, body, expected) => {
    const entries = await sync(body);
    expect(pairs(entries)).toEqual(expected);
  });

  it('each channel kind is fully populated', async () => {
    const entries = await sync({ instance_ids: [I1] });
    const byId = Object.fromEntries(entries.map((e) => [e.id, e]));
    for (const e of entries) {
      expect(e.instance_id).toBe(I1);
      expect(typeof e.instance_name).toBe('string');
      expect(e.status).toBe(1);
      expect(e.create_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(e.member_groups.length).toBeGreaterThan(0);
    }
    const ip = byId[IP_CH];
    expect([ip.type, ip.member_type]).toEqual(['BUILTIN', 'ip']);
    expect(ip.member_groups).toHaveLength(2);
    expect(ip.members.every((m: any) => typeof m.host === 'string')).toBe(true);
    expect(ip.vpc_health_config).toMatchObject({ protocol: 'HTTP', method: 'GET' });
    expect(ip.vpc_health_config.timeout).toBeLessThan(ip.vpc_health_config.time_interval);
    const ecs = byId[ECS_CH];
    expect([ecs.type, ecs.member_type]).toEqual(['BUILTIN', 'ecs']);
    expect(ecs.member_groups).toHaveLength(2);
    expect(ecs.members.every((m: any) => m.ecs_id && m.ecs_name)).toBe(true);
    expect(ecs.vpc_health_config).toMatchObject({
      protocol: 'HTTP',
      path: expect.any(String),
      http_code: expect.any(String),
    });
    const ms = byId[MS_CH];
    expect(ms.type).toBe('MICROSERVICE');
    expect(ms.microservice_info.service_type).toBe('CSE');
    expect(Object.keys(ms.microservice_info.cse_info).sort()).toEqual(
      ['cse_app_id', 'engine_id', 'engine_name', 'register_address', 'service_id', 'service_name', 'version'].sort(),
    );
  });

  it('records force_sync in the sync log', async () => {
    const fresh = await startReferenceServer();
    try {
      for (const force_sync of [true, false, undefined]) {
        await send(fresh.url, {
          path: routeOf(fresh),
          headers: authed(fresh),
          body: JSON.stringify({ vpc_channel_id: IP_CH, instance_ids: [I2], force_sync }),
        });
      }
      expect(fresh.syncLog().map((r) => [r.vpcChannelIds, r.instanceIds, r.forceSync])).toEqual([
        [[IP_CH], [I2], true],
        [[IP_CH], [I2], false],
        [[IP_CH], [I2], false],
      ]);
    } finally {
      await fresh.close();
    }
  });

  it('serves concurrent requests', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        send(s.url, {
          path: routeOf(s),
          headers: authed(s),
          body: JSON.stringify({ instance_ids: [[I1, I2, I3][i % 3]] }),
        }),
      ),
    );
    expect(outcomes.map((o) => (o.kind === 'response' ? o.status : o.kind))).toEqual(Array(60).fill(201));
  });

  it('fixtures are fixed across starts and overridable', async () => {
    const other = await startReferenceServer({
      fixtures: { projectId: 'p123', token: 'tok', instanceIds: ['i-a', 'i-b'] },
    });
    try {
      expect(s.fixtures).toEqual({ ...DEFAULT_FIXTURES });
      expect(other.fixtures).toMatchObject({
        projectId: 'p123',
        token: 'tok',
        vpcChannelIds: DEFAULT_FIXTURES.vpcChannelIds,
      });
      const o = await send(other.url, {
        path: routeOf(other),
        headers: authed(other),
        body: '{"instance_ids":["i-b"]}',
      });
      const json = jsonOf(o);
      expect(validateResponseBody(201, json)).toEqual([]);
      expect(json.project_vpc_channels.map((e: any) => e.instance_id)).toEqual(['i-b', 'i-b', 'i-b']);
    } finally {
      await other.close();
    }
  });
});
