// Test helpers: a raw node:http client that reports every transport outcome (response, timeout, reset)
// instead of throwing, so the same code can probe the reference server and its faulty variants.

import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { ReferenceServer } from '../../server/index.ts';

export type Outcome =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string | string[] | undefined>;
      text: string;
      truncated: boolean;
      raw: Buffer;
    }
  | { kind: 'timeout' }
  | { kind: 'error'; code: string };

export interface Req {
  method?: string;
  /** Path + query, e.g. routeOf(server). */
  path: string;
  headers?: Record<string, string>;
  /** Sent as is; an array is written chunk by chunk (chunked transfer), honouring backpressure. */
  body?: string | Buffer | Buffer[];
  timeoutMs?: number;
  /** Stop reading (and abort) once this many response bytes arrived. */
  maxBytes?: number;
}

export function routeOf(s: Pick<ReferenceServer, 'fixtures'>, projectId = s.fixtures.projectId): string {
  return `/v2/${projectId}/apic/vpc-channels/syncs`;
}

/** Headers with the valid token (and a JSON content type). */
export function authed(
  s: Pick<ReferenceServer, 'fixtures'>,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { 'content-type': 'application/json', 'x-auth-token': s.fixtures.token, ...extra };
}

export function send(baseUrl: string, r: Req): Promise<Outcome> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
      req.destroy();
    };
    const headers: Record<string, string | number> = { ...(r.headers ?? {}) };
    if (typeof r.body === 'string' || Buffer.isBuffer(r.body)) headers['content-length'] = Buffer.byteLength(r.body);
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: r.method ?? 'POST', path: r.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          chunks.push(c);
          if (r.maxBytes !== undefined && size >= r.maxBytes) {
            done({
              kind: 'response',
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
              truncated: true,
              raw: Buffer.concat(chunks),
            });
          }
        });
        res.on('end', () =>
          done({
            kind: 'response',
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            truncated: false,
            raw: Buffer.concat(chunks),
          }),
        );
        res.on('error', (e: NodeJS.ErrnoException) => done({ kind: 'error', code: e.code ?? e.message }));
      },
    );
    const timer = setTimeout(() => done({ kind: 'timeout' }), r.timeoutMs ?? 5_000);
    req.on('error', (e: NodeJS.ErrnoException) => done({ kind: 'error', code: e.code ?? e.message }));
    if (Array.isArray(r.body)) void writeChunks(req, r.body);
    else req.end(r.body);
  });
}

async function writeChunks(req: ReturnType<typeof httpRequest>, chunks: Buffer[]): Promise<void> {
  for (const c of chunks) {
    if (req.destroyed) return;
    if (!req.write(c)) {
      await new Promise<void>((ok) => {
        const go = () => {
          req.off('drain', go);
          req.off('close', go);
          ok();
        };
        req.on('drain', go);
        req.on('close', go);
      });
    }
  }
  if (!req.destroyed) req.end();
}

/** The outcome as a response, or a test failure naming what happened instead. */
export function asResponse(o: Outcome): Extract<Outcome, { kind: 'response' }> {
  if (o.kind !== 'response')
    throw new Error(`expected a response, got ${o.kind}${o.kind === 'error' ? ` ${o.code}` : ''}`);
  return o;
}

const DECODE: Record<string, (b: Buffer) => Buffer> = {
  gzip: gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/** The body as text, decoded by its Content-Encoding (gzip, deflate, br). */
export function textOf(o: Outcome): string {
  const r = asResponse(o);
  const coding = r.headers['content-encoding'];
  return typeof coding === 'string' ? DECODE[coding](r.raw).toString('utf8') : r.text;
}

export function jsonOf(o: Outcome): any {
  return JSON.parse(textOf(o));
}

export function contentType(o: Outcome): string {
  const ct = asResponse(o).headers['content-type'];
  return Array.isArray(ct) ? ct.join(',') : (ct ?? '');
}

/** A small seeded PRNG (mulberry32): the fuzz run is the same on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
