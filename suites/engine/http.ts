// Sends one case with supertest: bounded in time (deadline), in size (a read cap), and in retries
// (429, or 503 with Retry-After). Never throws: transport trouble comes back as data.

import request from 'supertest';
import type { Response } from 'superagent';
import { operation } from '../../schemas/index.ts';
import { requestsOf, type Case, type CaseStep } from '../../generators/cases.ts';

export interface Target {
  baseUrl: string; // may carry a path prefix, which is kept
  projectId: string;
  token: string;
  forbiddenToken?: string;
  timeoutMs: number;
  maxBodyBytes: number;
  retry: { attempts: number; maxWaitMs: number };
}

export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>; // as sent (tokens included: redact before recording)
  body: string | null;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  truncated: boolean;
}

export type TransportError = { kind: 'timeout' | 'dropped' | 'refused' | 'other'; message: string };

export interface Sent {
  request: WireRequest;
  response?: WireResponse;
  error?: TransportError;
  attempts: number;
  throttled: boolean;
  durationMs: number;
}

export function urlFor(target: Target, projectId: string): URL {
  const base = new URL(target.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${prefix}${operation.path.replace('{project_id}', encodeURIComponent(projectId))}`, base.origin);
}

/** Header names in the letter case a step asks for (RFC 9110: the same header either way). */
const headerName = (name: string, step: CaseStep) =>
  step.headerNames === 'lower' ? name.toLowerCase() : step.headerNames === 'upper' ? name.toUpperCase() : name;

/** One request of a case as it goes on the wire (by default its first). */
export function wireRequest(c: Case, target: Target, step: CaseStep = requestsOf(c)[0]): WireRequest {
  const url = urlFor(target, c.projectId ?? target.projectId);
  const headers: Record<string, string> = {};
  const contentType = step.contentType !== undefined ? step.contentType : c.contentType;
  if (contentType) headers[headerName('Content-Type', step)] = contentType;
  const token = {
    valid: target.token,
    forbidden: target.forbiddenToken,
    unknown: c.token,
    malformed: c.token,
    none: undefined,
  }[c.auth];
  if (token !== undefined) headers[headerName('X-Auth-Token', step)] = token;
  const body = 'json' in c.body ? (step.text ?? JSON.stringify(c.body.json)) : c.body.raw;
  return { method: operation.method, url: url.toString(), headers, body };
}

/** Reads at most `cap` bytes of a body; a larger one is cut and the socket dropped, so an endless body cannot hang us. */
function cappedParser(cap: number) {
  return (res: NodeJS.ReadableStream & { destroy(): void }, cb: (err: Error | null, body: unknown) => void) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      cb(null, { text: Buffer.concat(chunks).toString('utf8'), truncated });
    };
    res.on('data', (chunk: Buffer) => {
      if (done) return;
      const room = cap - size;
      size += chunk.length;
      chunks.push(chunk.length > room ? chunk.subarray(0, Math.max(0, room)) : chunk);
      if (size > cap) {
        finish(true);
        res.destroy();
      }
    });
    res.on('end', () => finish(false));
    res.on('error', () => finish(size > cap));
    res.on('close', () => finish(size > cap));
  };
}

function classify(e: unknown): TransportError {
  const err = e as { timeout?: number; code?: string; message?: string };
  if (err.timeout !== undefined || err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT')
    return { kind: 'timeout', message: 'no complete answer within the timeout' };
  if (err.code === 'ECONNREFUSED') return { kind: 'refused', message: 'connection refused' };
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || /socket hang up|aborted/i.test(err.message ?? ''))
    return {
      kind: 'dropped',
      message: `the connection was dropped before a complete answer (${err.code ?? err.message})`,
    };
  return { kind: 'other', message: err.message ?? String(e) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function once(w: WireRequest, target: Target): Promise<WireResponse | TransportError> {
  const url = new URL(w.url);
  try {
    let t = request(url.origin).post(url.pathname + url.search);
    for (const [k, v] of Object.entries(w.headers)) t = t.set(k, v);
    t = t
      .timeout({ deadline: target.timeoutMs })
      .buffer(true)
      .parse(cappedParser(target.maxBodyBytes) as never)
      .ok(() => true);
    if (w.body !== null) t = t.send(w.body);
    const res = (await t) as Response & { body: { text: string; truncated: boolean } };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers as Record<string, string | string[]>))
      headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    const body =
      res.body && typeof res.body === 'object' && 'text' in res.body
        ? res.body
        : { text: res.text ?? '', truncated: false };
    return { status: res.status, headers, text: body.text, truncated: body.truncated };
  } catch (e) {
    return classify(e);
  }
}

/** Retry-After in ms (seconds or an HTTP date), or undefined. */
function retryAfterMs(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export async function send(c: Case, target: Target, step?: CaseStep): Promise<Sent> {
  const w = wireRequest(c, target, step);
  const started = performance.now();
  let attempts = 0;
  for (;;) {
    attempts++;
    const r = await once(w, target);
    if ('kind' in r)
      return { request: w, error: r, attempts, throttled: false, durationMs: performance.now() - started };
    const wait =
      r.status === 429
        ? (retryAfterMs(r.headers['retry-after']) ?? 1000)
        : r.status === 503
          ? retryAfterMs(r.headers['retry-after'])
          : undefined;
    if (wait === undefined)
      return { request: w, response: r, attempts, throttled: false, durationMs: performance.now() - started };
    if (attempts >= target.retry.attempts)
      return { request: w, response: r, attempts, throttled: true, durationMs: performance.now() - started };
    await sleep(Math.min(wait, target.retry.maxWaitMs));
  }
}
