// The transport on loopback: the headers recorded are those received; compressed answers decoded
// within the read cap; redirects not followed; proxies, extra CAs, mutual TLS and --insecure.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCases, type Case } from '../../generators/cases.ts';
import { startReferenceServer, type ReferenceServer } from '../../server/index.ts';
import { send, type Target } from '../../suites/engine/http.ts';
import { closeAgents } from '../../suites/engine/transport.ts';
import { forwardProxy, httpsFront, makeCerts, recordingFront, redirectFront, type Certs } from './fronts.ts';

let server: ReferenceServer;
let certs: Certs;
let probe: Case;
beforeAll(async () => {
  server = await startReferenceServer();
  certs = makeCerts();
  const fx = server.fixtures;
  const cases = buildCases({
    seed: 1,
    vpcChannelIds: fx.vpcChannelIds,
    instanceIds: fx.instanceIds,
    hasForbiddenToken: true,
  });
  probe = cases.find((c) => c.suite === 'negative' && 'json' in c.body)!;
});
afterAll(async () => {
  closeAgents();
  certs.dispose();
  await server.close();
});

const targetOf = (baseUrl: string, extra: Partial<Target> = {}): Target => ({
  baseUrl,
  projectId: server.fixtures.projectId,
  token: server.fixtures.token,
  forbiddenToken: server.fixtures.forbiddenToken,
  timeoutMs: 5000,
  maxBodyBytes: 1 << 20,
  retry: { attempts: 1, maxWaitMs: 0 },
  ...extra,
});

/** A server whose every answer is `body` with the given Content-Encoding. */
async function encodedServer(encoding: string, body: Buffer): Promise<{ url: string; close: () => Promise<void> }> {
  const s = http.createServer((req, res) => {
    req.resume();
    res.writeHead(400, { 'Content-Type': 'application/json', 'Content-Encoding': encoding });
    res.end(body);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => s.close(() => r())),
  };
}

describe('what is recorded is what was sent', () => {
  test('every header the server received is in the record, with its value, and nothing else', async () => {
    const front = await recordingFront(server.url);
    try {
      const sent = await send(probe, targetOf(front.url, { headers: [['X-Gateway-Key', 'abc']] }));
      expect(sent.response?.status).toBe(400);
      const raw = front.received[0].rawHeaders;
      const received = Object.fromEntries(raw.flatMap((v, i) => (i % 2 ? [] : [[v, raw[i + 1]]])));
      expect(sent.request.headers).toEqual(received);
      expect(received['Accept-Encoding']).toBe('gzip, deflate, br');
      expect(received['X-Gateway-Key']).toBe('abc');
      expect(Object.keys(received)).toEqual(expect.arrayContaining(['Host', 'Content-Length', 'Connection']));
    } finally {
      await front.close();
    }
  });
});

describe('compressed answers', () => {
  const json = Buffer.from(JSON.stringify({ error_code: 'APIG.2012', error_msg: 'Invalid parameter' }));
  test.each([
    ['gzip', zlib.gzipSync(json)],
    ['x-gzip', zlib.gzipSync(json)],
    ['deflate', zlib.deflateSync(json)],
    ['deflate', zlib.deflateRawSync(json)], // raw deflate, as some servers send it
    ['br', zlib.brotliCompressSync(json)],
  ])('%s is decoded', async (encoding, body) => {
    const s = await encodedServer(encoding, body);
    try {
      const sent = await send(probe, targetOf(s.url));
      expect(sent.response?.text).toBe(json.toString());
      expect(sent.response?.encoding).toBe(encoding);
      expect(sent.response?.truncated).toBe(false);
    } finally {
      await s.close();
    }
  });

  test('the read cap bounds the decoded size: a small gzip that inflates past it is cut', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(8 << 20, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const s = await encodedServer('gzip', bomb);
    try {
      const sent = await send(probe, targetOf(s.url, { maxBodyBytes: 1 << 20 }));
      expect(sent.response?.truncated).toBe(true);
      expect(sent.response!.text).toBe(' '.repeat(1 << 20)); // the first bytes, as far as the cap
    } finally {
      await s.close();
    }
  });

  test.each([
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', zlib.brotliCompressSync],
  ])('%s past the read cap keeps its first bytes', async (encoding, compress) => {
    const text = JSON.stringify({ error_code: 'APIG.2012', error_msg: 'x'.repeat(300_000) });
    const s = await encodedServer(encoding, compress(Buffer.from(text)));
    try {
      const sent = await send(probe, targetOf(s.url, { maxBodyBytes: 100_000 }));
      expect(sent.response?.truncated).toBe(true);
      expect(sent.response?.text).toBe(text.slice(0, 100_000));
    } finally {
      await s.close();
    }
  });

  test('a corrupt gzip body is a broken answer, not an empty one', async () => {
    const s = await encodedServer('gzip', Buffer.from('not gzip at all'));
    try {
      const sent = await send(probe, targetOf(s.url));
      expect(sent.error?.kind).toBe('dropped');
      expect(sent.error?.message).toMatch(/gzip body could not be decoded/);
    } finally {
      await s.close();
    }
  });
});

test('a redirect is not followed: the 3xx is the answer, the other host sees nothing', async () => {
  const elsewhere = await recordingFront(server.url);
  const front = await redirectFront(elsewhere.url);
  try {
    const sent = await send(probe, targetOf(front.url));
    expect(sent.response?.status).toBe(307);
    expect(front.hits()).toBe(1);
    expect(elsewhere.received).toHaveLength(0);
  } finally {
    await front.close();
    await elsewhere.close();
  }
});

describe('proxies', () => {
  test('an http target through the proxy: an absolute-form request', async () => {
    const proxy = await forwardProxy();
    try {
      const sent = await send(probe, targetOf(server.url, { proxy: proxy.url }));
      expect(sent.response?.status).toBe(400);
      expect(proxy.carried).toEqual([`${server.url}${new URL(sent.request.url).pathname}`]);
    } finally {
      await proxy.close();
    }
  });

  test('an https target through the proxy: a CONNECT tunnel, the target verified with --ca', async () => {
    const proxy = await forwardProxy();
    const front = await httpsFront(certs, server.url);
    try {
      const sent = await send(probe, targetOf(front.url, { proxy: proxy.url, tls: { ca: certs.ca } }));
      expect(sent.response?.status).toBe(400);
      expect(proxy.tunnels).toEqual([new URL(front.url).host]);
      expect(proxy.carried).toEqual([]);
    } finally {
      await front.close();
      await proxy.close();
    }
  });

  test('a 407 is the proxy refusing the credentials, never the target: http and https targets alike', async () => {
    const proxy = await forwardProxy({ auth: 'puser:right-pw' });
    const front = await httpsFront(certs, server.url);
    try {
      const wrong = proxy.url.replace('//', '//puser:wr0ngpw@');
      for (const [url, variable] of [
        [server.url, 'HTTP_PROXY'],
        [front.url, 'HTTPS_PROXY'],
      ]) {
        const sent = await send(probe, targetOf(url, { proxy: wrong, tls: { ca: certs.ca } }));
        expect(sent.response).toBeUndefined();
        expect(sent.error).toEqual({
          kind: 'proxy',
          message: `the proxy refused the credentials (407): check --proxy / ${variable}`,
        });
      }
      expect(proxy.refused).toBe(2);
      expect(proxy.carried).toEqual([]);
      expect(proxy.tunnels).toEqual([]);
      const right = proxy.url.replace('//', '//puser:right-pw@');
      expect((await send(probe, targetOf(front.url, { proxy: right, tls: { ca: certs.ca } }))).response?.status).toBe(
        400,
      );
    } finally {
      await front.close();
      await proxy.close();
    }
  });

  test('a CONNECT the proxy does not answer 200 is its refusal, not the answer of the target', async () => {
    const proxy = await forwardProxy({ connectStatus: 403 });
    const front = await httpsFront(certs, server.url);
    try {
      const sent = await send(probe, targetOf(front.url, { proxy: proxy.url, tls: { ca: certs.ca } }));
      expect(sent.error?.kind).toBe('proxy');
      expect(sent.error?.message).toMatch(/would not open a tunnel to 127\.0\.0\.1:\d+ \(CONNECT answered 403\)/);
    } finally {
      await front.close();
      await proxy.close();
    }
  });

  test('a proxy that refuses connections is named in the error', async () => {
    const sent = await send(probe, targetOf(server.url, { proxy: 'http://user:pw@127.0.0.1:9' }));
    expect(sent.error?.kind).toBe('refused');
    expect(sent.error?.message).toMatch(/via the proxy http:\/\/\*\*\*@127\.0\.0\.1:9/);
    expect(sent.error?.message).not.toMatch(/pw/);
  });
});

describe('TLS', () => {
  test('through a proxy the certificate is checked against the target: an IP-only one passes, another name fails', async () => {
    const proxy = await forwardProxy();
    const ipOnly = await httpsFront(certs, server.url); // SAN IP:127.0.0.1 and nothing else
    const otherName = makeCerts('DNS:localhost');
    const elsewhere = await httpsFront(otherName, server.url);
    try {
      const viaProxy = { proxy: proxy.url, tls: { ca: certs.ca } };
      expect((await send(probe, targetOf(ipOnly.url, viaProxy))).response?.status).toBe(400);
      for (const via of [{}, { proxy: proxy.url }]) {
        const sent = await send(probe, targetOf(elsewhere.url, { ...via, tls: { ca: otherName.ca } }));
        expect(sent.error?.kind, JSON.stringify(via)).toBe('tls');
        expect(sent.error?.message).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
      }
      expect(proxy.tunnels).toHaveLength(2);
    } finally {
      await elsewhere.close();
      await ipOnly.close();
      await proxy.close();
      otherName.dispose();
    }
  });

  test('a self-signed front: refused without --ca (the error names the fix), answered with it or --insecure', async () => {
    const front = await httpsFront(certs, server.url);
    try {
      const bare = await send(probe, targetOf(front.url));
      expect(bare.error?.kind).toBe('tls');
      expect(bare.error?.message).toMatch(/--ca FILE/);
      expect(bare.error?.message).toMatch(/--insecure/);
      expect((await send(probe, targetOf(front.url, { tls: { ca: certs.ca } }))).response?.status).toBe(400);
      expect((await send(probe, targetOf(front.url, { tls: { insecure: true } }))).response?.status).toBe(400);
    } finally {
      await front.close();
    }
  });

  test('mutual TLS: a front that asks for a client certificate', async () => {
    const { readFileSync } = await import('node:fs');
    const front = await httpsFront(certs, server.url, true);
    try {
      const without = await send(probe, targetOf(front.url, { tls: { ca: certs.ca } }));
      expect(without.error?.kind === 'tls' || without.error?.kind === 'dropped').toBe(true);
      const tls = {
        ca: certs.ca,
        cert: readFileSync(certs.clientCertFile, 'utf8'),
        key: readFileSync(certs.clientKeyFile, 'utf8'),
      };
      expect((await send(probe, targetOf(front.url, { tls }))).response?.status).toBe(400);
    } finally {
      await front.close();
    }
  });
});
