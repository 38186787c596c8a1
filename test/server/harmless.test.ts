// Every harmless switch is observable on the wire (so a run that stays green on it has really met the
// variation), and what it answers stays within the page: a documented status with a body that passes the
// documented schema. Transport switches keep the reference body as it is.

import { describe, expect, it } from 'vitest';
import { documentedStatuses, validateResponseBody } from '../../schemas/index.ts';
import { DEFAULT_FIXTURES, HARMLESS, startReferenceServer, type HarmlessName } from '../../server/index.ts';
import { asResponse, authed, jsonOf, routeOf, send, type Outcome, type Req } from './helpers.ts';

const F = DEFAULT_FIXTURES;
const [CHANNEL] = F.vpcChannelIds;
const [I1, I2] = F.instanceIds;
const DEF = { fixtures: F };
const post = (body: unknown, path = routeOf(DEF)): Req => ({
  path,
  headers: { ...authed(DEF), 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const FORCED = post({ vpc_channel_id: CHANNEL, instance_ids: [I1, I2], force_sync: true });
const UNFORCED = post({ vpc_channel_id: CHANNEL, instance_ids: [I1, I2] });

type Entry = Record<string, unknown>;
const entries = (o: Outcome) => jsonOf(o).project_vpc_channels as Entry[];
const pairs = (o: Outcome) => entries(o).map((e) => `${e.id}/${e.instance_id}`);
const statusOf = (o: Outcome) => asResponse(o).status;

interface Observation {
  request?: Req; // default: a forced sync of the page's example request
  prime?: Req; // sent to both servers first
  /** What differs from the plain reference, seen from a client. */
  seen(varied: Outcome, plain: Outcome, ms: number): void;
}

const sameAnswer = (varied: Outcome, plain: Outcome) => {
  expect(statusOf(varied)).toBe(statusOf(plain));
  expect(jsonOf(varied)).toEqual(jsonOf(plain));
};
const refused = (request: Req, plainStatus = 201): Observation => ({
  request,
  seen: (v, p) => {
    expect(statusOf(p)).toBe(plainStatus);
    expect(statusOf(v)).toBe(400);
  },
});

const OBSERVED: Record<HarmlessName, Observation> = {
  'slow-answers': { seen: (v, p, ms) => (expect(ms).toBeGreaterThanOrEqual(45), sameAnswer(v, p)) },
  'connection-close': { seen: (v, p) => (expect(asResponse(v).headers.connection).toBe('close'), sameAnswer(v, p)) },
  'chunked-bodies': {
    seen: (v, p) => {
      expect(asResponse(v).headers['transfer-encoding']).toBe('chunked');
      expect(asResponse(v).headers['content-length']).toBeUndefined();
      sameAnswer(v, p);
    },
  },
  'compressed-bodies': {
    request: { ...FORCED, headers: { ...FORCED.headers, 'accept-encoding': 'gzip, deflate, br' } },
    seen: (v, p) => {
      expect(asResponse(v).headers['content-encoding']).toBe('gzip');
      expect(asResponse(v).headers.vary).toBe('Accept-Encoding');
      sameAnswer(v, p);
    },
  },
  'json-charset': {
    seen: (v, p) => {
      expect(asResponse(p).headers['content-type']).toBe('application/json');
      expect(asResponse(v).headers['content-type']).toBe('application/json; charset=utf-8');
      sameAnswer(v, p);
    },
  },
  'entries-reordered': { seen: (v, p) => expect(pairs(v)).toEqual([...pairs(p)].reverse()) },
  'extra-response-fields': {
    seen: (v, p) => {
      expect(jsonOf(v).request_id).toBeDefined();
      expect(entries(v).every((e) => 'x_sync_source' in e)).toBe(true);
      expect(entries(p).some((e) => 'x_sync_source' in e)).toBe(false);
    },
  },
  'minimal-entries': {
    seen: (v) => {
      for (const e of entries(v))
        expect(Object.keys(e).sort()).toEqual(['balance_strategy', 'member_type', 'name', 'port']);
    },
  },
  'optional-objects-absent': {
    seen: (v, p) => {
      for (const k of ['vpc_health_config', 'member_groups', 'members']) {
        expect(entries(p).some((e) => k in e)).toBe(true);
        expect(entries(v).some((e) => k in e)).toBe(false);
      }
      expect(pairs(v)).toEqual(pairs(p));
    },
  },
  'duplicates-echoed': {
    request: post({ vpc_channel_id: CHANNEL, instance_ids: [I1, I2, I1], force_sync: true }),
    seen: (v, p) => {
      expect(entries(p)).toHaveLength(2);
      expect(entries(v).map((e) => e.instance_id)).toEqual([I1, I2, I1]);
    },
  },
  'empty-list-refused': refused(post({ vpc_channel_id: CHANNEL, instance_ids: [] })),
  'duplicates-refused': refused(post({ vpc_channel_id: CHANNEL, instance_ids: [I1, I1], force_sync: true })),
  'unknown-fields-refused': refused(post({ vpc_channel_id: CHANNEL, instance_ids: [I1], unexpected_field: 'x' })),
  'resync-refused-unforced': { prime: UNFORCED, ...refused(UNFORCED) },
  'other-project-400': refused(post({}, routeOf(DEF, 'ffffffffffffffffffffffffffffffff')), 403),
  // The reference refuses an instance id that does not exist (400); this switch passes over it when known ones are named
  // too, and answers with the known ones' entries; an unknown id alone is still refused.
  'unknown-among-known-ignored': {
    request: post({ vpc_channel_id: CHANNEL, instance_ids: [I1, 'e'.repeat(32), I2], force_sync: true }),
    seen: (v, p) => {
      expect(statusOf(p)).toBe(400);
      expect(statusOf(v)).toBe(201);
      expect(pairs(v).sort()).toEqual([`${CHANNEL}/${I1}`, `${CHANNEL}/${I2}`].sort());
    },
  },
  // The reference answers a request without a token 401 (credentials first); this switch reads the body first:
  // its channel does not exist, so 400.
  'credentials-after-body': refused(
    { ...post({ vpc_channel_id: 'f'.repeat(32) }), headers: { 'content-type': 'application/json' } },
    401,
  ),
};

describe('compressed-bodies', () => {
  const request = { ...FORCED, headers: { ...FORCED.headers, 'accept-encoding': 'gzip, deflate, br' } };
  it('takes gzip, deflate and br in turn among the codings a request accepts, and none when it accepts none', async () => {
    const server = await startReferenceServer({ harmless: ['compressed-bodies'] });
    try {
      const codings: unknown[] = [];
      for (let k = 0; k < 3; k++) {
        const o = await send(server.url, request);
        codings.push(asResponse(o).headers['content-encoding']);
        expect(jsonOf(o).project_vpc_channels.length).toBeGreaterThan(0);
      }
      expect(codings).toEqual(['gzip', 'deflate', 'br']);
      const only = { ...request, headers: { ...request.headers, 'accept-encoding': 'br;q=1, gzip;q=0' } };
      expect(asResponse(await send(server.url, only)).headers['content-encoding']).toBe('br');
      const plain = asResponse(await send(server.url, FORCED));
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(plain.text).project_vpc_channels.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

async function answer(harmless: HarmlessName[], o: Observation): Promise<{ o: Outcome; ms: number }> {
  const server = await startReferenceServer({ harmless });
  try {
    if (o.prime) await send(server.url, o.prime);
    const t0 = performance.now();
    const got = await send(server.url, o.request ?? FORCED);
    return { o: got, ms: performance.now() - t0 };
  } finally {
    await server.close();
  }
}

describe('harmless switch metadata', () => {
  it('names are unique, and each says what allows it', () => {
    expect(new Set(HARMLESS.map((h) => h.name)).size).toBe(HARMLESS.length);
    for (const h of HARMLESS) {
      expect(h.name).toMatch(/^[a-z0-9-]+$/);
      expect(h.allowedBy.length).toBeGreaterThan(0);
      expect(h.description.length).toBeGreaterThan(0);
    }
  });
  it('an unknown name is refused', async () => {
    await expect(startReferenceServer({ harmless: ['no-such' as HarmlessName] })).rejects.toThrow(/unknown harmless/);
  });
});

describe.each(HARMLESS.map((h) => [h.name] as const))('harmless switch %s', (name) => {
  it('is observable on the wire, and answers as the page allows', async () => {
    const o = OBSERVED[name];
    const plain = await answer([], o);
    const varied = await answer([name], o);
    o.seen(varied.o, plain.o, varied.ms);
    const status = statusOf(varied.o);
    expect(documentedStatuses).toContain(status);
    expect(validateResponseBody(status, jsonOf(varied.o))).toEqual([]);
  });
});

describe('the refusals stay within what the page allows', () => {
  it('resync-refused-unforced still serves a forced repeat', async () => {
    const server = await startReferenceServer({ harmless: ['resync-refused-unforced'] });
    try {
      expect(statusOf(await send(server.url, FORCED))).toBe(201);
      expect(statusOf(await send(server.url, FORCED))).toBe(201);
      expect(statusOf(await send(server.url, UNFORCED))).toBe(400);
    } finally {
      await server.close();
    }
  });
});
