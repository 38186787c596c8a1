// Every harmless switch is observable on the wire (so a run that stays green on it has really met the
// variation), and the body it answers with stays the reference's.

import { describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES, HARMLESS, startReferenceServer, type HarmlessName } from '../../server/index.ts';
import { asResponse, authed, jsonOf, routeOf, send, type Outcome } from './helpers.ts';

const DEF = { fixtures: DEFAULT_FIXTURES };
const request = {
  path: routeOf(DEF),
  headers: { ...authed(DEF), 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate, br' },
  body: JSON.stringify({ vpc_channel_id: DEFAULT_FIXTURES.vpcChannelIds[0], force_sync: true }),
};

// What each switch changes on the wire, seen from a client.
const OBSERVED: Record<HarmlessName, (o: Outcome, ms: number) => void> = {
  'slow-answers': (_o, ms) => expect(ms).toBeGreaterThanOrEqual(45),
  'connection-close': (o) => expect(asResponse(o).headers.connection).toBe('close'),
  'chunked-bodies': (o) => {
    expect(asResponse(o).headers['transfer-encoding']).toBe('chunked');
    expect(asResponse(o).headers['content-length']).toBeUndefined();
  },
  'compressed-bodies': (o) => {
    expect(asResponse(o).headers['content-encoding']).toBe('gzip');
    expect(asResponse(o).headers.vary).toBe('Accept-Encoding');
  },
};

describe('compressed-bodies', () => {
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
      const none = { ...request, headers: { ...authed(DEF), 'content-type': 'application/json' } };
      const plain = asResponse(await send(server.url, none));
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(plain.text).project_vpc_channels.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

async function answer(harmless: HarmlessName[]): Promise<{ o: Outcome; ms: number }> {
  const server = await startReferenceServer({ harmless });
  try {
    const t0 = performance.now();
    const o = await send(server.url, request);
    return { o, ms: performance.now() - t0 };
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
  it('is observable on the wire and keeps the reference body', async () => {
    const plain = await answer([]);
    const varied = await answer([name]);
    OBSERVED[name](varied.o, varied.ms);
    expect(asResponse(varied.o).status).toBe(asResponse(plain.o).status);
    expect(jsonOf(varied.o)).toEqual(jsonOf(plain.o));
  });
});
