// Seeded fuzz: hundreds of malformed and invalid requests (random bytes, random JSON shapes, random headers,
// raw TCP garbage). Never a 5xx, never a status outside the route's contract, and the server stays up.

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateResponseBody } from '../../schemas/index.ts';
import { DEFAULT_FIXTURES, startReferenceServer, type ReferenceServer } from '../../server/index.ts';
import { asResponse, authed, mulberry32, routeOf, send, type Req } from './helpers.ts';

const SEED = 0x5eed_c0de;
const HTTP_CASES = 400;
const RAW_CASES = 60;
const F = DEFAULT_FIXTURES;

let s: ReferenceServer;
beforeAll(async () => {
  s = await startReferenceServer();
});
afterAll(() => s.close());

type Rng = () => number;
const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)];
const printable = (r: Rng, max: number) =>
  Array.from({ length: int(r, max) }, () => String.fromCharCode(0x20 + int(r, 95))).join('');
const bytes = (r: Rng, max: number) => Buffer.from(Array.from({ length: int(r, max) }, () => int(r, 256)));

function randomJson(r: Rng, depth: number): unknown {
  const kind = int(r, depth > 3 ? 6 : 8);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return pick(r, [0, -1, 1.5, 1e308, -0, 2 ** 53 + 1]);
    case 3:
      return printable(r, 40);
    case 4:
      return pick(r, [...F.vpcChannelIds, ...F.instanceIds, '', 'x'.repeat(300)]);
    case 5:
      return '\u0000\ud800\u{1f600}';
    case 6:
      return Array.from({ length: int(r, 5) }, () => randomJson(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: int(r, 5) }, () => [pick(r, KEYS), randomJson(r, depth + 1)]));
  }
}
const KEYS = ['vpc_channel_id', 'instance_ids', 'force_sync', '__proto__', 'constructor', '', 'x'];

/** One random body: bytes, JSON of any shape, a near-valid object, or truncated/odd JSON text. */
function randomBody(r: Rng): string | Buffer | undefined {
  switch (int(r, 6)) {
    case 0:
      return bytes(r, 600);
    case 1:
      return JSON.stringify(randomJson(r, 0)) ?? 'undefined';
    case 2: {
      const o: Record<string, unknown> = {};
      if (r() < 0.7) o.vpc_channel_id = r() < 0.6 ? pick(r, F.vpcChannelIds) : randomJson(r, 2);
      if (r() < 0.7) o.instance_ids = r() < 0.6 ? F.instanceIds.filter(() => r() < 0.5) : randomJson(r, 2);
      if (r() < 0.7) o.force_sync = r() < 0.6 ? r() < 0.5 : randomJson(r, 2);
      return JSON.stringify(o);
    }
    case 3: {
      const text = JSON.stringify({ vpc_channel_id: F.vpcChannelIds[0], instance_ids: F.instanceIds });
      return text.slice(0, int(r, text.length));
    }
    case 4:
      return pick(r, [
        '',
        ' ',
        '\ufeff{}',
        '{}garbage',
        '{"a":1,}',
        "{'a':1}",
        'NaN',
        '[1,2',
        '{"force_sync":tru}',
        '\u0000',
      ]);
    default:
      return undefined;
  }
}

function randomRequest(r: Rng): { req: Req; onRoute: boolean } {
  const onRoute = r() < 0.85;
  const method = onRoute ? 'POST' : pick(r, ['GET', 'PUT', 'DELETE', 'PATCH', 'POST', 'OPTIONS']);
  const path = onRoute
    ? pick(r, [
        routeOf(s),
        routeOf(s),
        routeOf(s, printable(r, 12).replace(/[^A-Za-z0-9]/g, '') || 'p'),
        `${routeOf(s)}?${printable(r, 20).replace(/[^A-Za-z0-9=&]/g, '')}`,
      ])
    : pick(r, [
        '/',
        '/v2',
        `/v2/${F.projectId}/apic/vpc-channels`,
        `/v2/${F.projectId}/apic/vpc-channels/syncs/x`,
        '/%ff%fe',
      ]);
  const headers: Record<string, string> = {};
  const token = r();
  if (token < 0.6) headers['x-auth-token'] = F.token;
  else if (token < 0.7) headers['x-auth-token'] = F.forbiddenToken;
  else if (token < 0.85) headers['x-auth-token'] = printable(r, 50).trim() || 'z';
  if (r() < 0.7)
    headers['content-type'] = pick(r, [
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      printable(r, 30).trim() || 'a/b',
    ]);
  for (let i = int(r, 4); i > 0; i--) headers[`x-fuzz-${int(r, 1000)}`] = printable(r, 100).trim();
  return {
    req: { method, path, headers, body: randomBody(r), timeoutMs: 5_000 },
    onRoute: method === 'POST' && onRoute,
  };
}

describe('seeded fuzz', () => {
  it(`${HTTP_CASES} random HTTP requests: no 5xx, only the documented statuses`, async () => {
    const r = mulberry32(SEED);
    const cases = Array.from({ length: HTTP_CASES }, () => randomRequest(r));
    const seen = new Map<number, number>();
    for (let i = 0; i < cases.length; i += 20) {
      const batch = cases.slice(i, i + 20);
      const outcomes = await Promise.all(batch.map((c) => send(s.url, c.req)));
      outcomes.forEach((o, j) => {
        const { req, onRoute } = batch[j];
        const label = `case ${i + j}: ${req.method} ${req.path} ${JSON.stringify(String(req.body ?? '')).slice(0, 80)}`;
        const res = asResponse(o);
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        expect(res.status, label).toBeLessThan(500);
        expect(onRoute ? [201, 400, 401, 403] : [404], label).toContain(res.status);
        expect(res.headers['content-type'], label).toMatch(/^application\/json/);
        const body = JSON.parse(res.text);
        if (onRoute) expect(validateResponseBody(res.status, body), label).toEqual([]);
      });
    }
    // The generator really reaches every branch of the contract.
    expect([...seen.keys()].sort()).toEqual([201, 400, 401, 403, 404]);
  }, 60_000);

  it(`${RAW_CASES} raw TCP garbage payloads never crash it`, async () => {
    const r = mulberry32(SEED ^ 0xabcdef);
    const { port } = new URL(s.url);
    const payloads = Array.from({ length: RAW_CASES }, (_, i) => {
      const head = pick(r, [
        '',
        'POST / HTTP/1.1\r\n',
        `POST ${routeOf(s)} HTTP/1.1\r\nHost: x\r\n`,
        'GET / HTTP/9.9\r\n',
        '\r\n\r\n',
      ]);
      return i % 3 === 0
        ? Buffer.concat([Buffer.from(head), bytes(r, 2000)])
        : Buffer.from(`${head + printable(r, 300)}\r\n\r\n`);
    });
    const replies = await Promise.all(
      payloads.map(
        (p) =>
          new Promise<string>((resolve) => {
            const sock = connect(Number(port), '127.0.0.1');
            let got = '';
            sock.on('data', (d) => (got += d.toString('latin1')));
            sock.on('close', () => resolve(got));
            sock.on('error', () => resolve(got));
            sock.setTimeout(2_000, () => sock.destroy());
            sock.end(p);
          }),
      ),
    );
    for (const reply of replies) {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1];
      if (status) expect(Number(status)).toBeLessThan(500);
    }
  }, 30_000);

  it('a valid request still gets 201 afterwards', async () => {
    const o = await send(s.url, { path: routeOf(s), headers: authed(s), body: '{}' });
    expect(asResponse(o).status).toBe(201);
  });
});
