// Sends one case: bounded in time (deadline), in size (a read cap), in retries (429, or 503 with
// Retry-After) and in pace (--rate-limit, every attempt counted). Never throws: transport trouble
// comes back as data. The wire itself is transport.ts.

import { operation } from '../../schemas/index.ts';
import type { Case, CaseStep } from '../../generators/cases.ts';
import { requestsOf } from '../../generators/steps.ts';
import { signed, type AkSkCredentials, type IamLogin } from './credentials.ts';
import { pacerFor, type Rate } from './pace.ts';
import { exchange, type Link, type Tls, type TransportError, type WireResponse } from './transport.ts';

export type { TransportError, WireResponse } from './transport.ts';

export interface Target {
  baseUrl: string; // may carry a path prefix, which is kept
  projectId: string;
  token: string; // token and IAM modes (IAM: the token it issued); empty with AK/SK
  forbiddenToken?: string;
  /** AK/SK mode: every request signed (SDK-HMAC-SHA256) instead of carrying a token. */
  aksk?: AkSkCredentials;
  /** IAM mode: how to log in again when the token is rejected mid-run. */
  iam?: IamLogin;
  /** The run's flags that are not secrets, for a reproduce line that is the tool itself (AK/SK). */
  reproduce?: string;
  /** --header / --secret-header, sent on every request to the target. */
  headers?: [string, string][];
  secretHeaderNames?: string[];
  /** Besides the tokens: what no record may show (secret header values, a proxy's password). */
  secrets?: string[];
  proxy?: string;
  tls?: Tls;
  rateLimit?: Rate;
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

export interface Sent {
  request: WireRequest;
  response?: WireResponse;
  error?: TransportError;
  attempts: number;
  throttled: boolean;
  durationMs: number;
}

export const ACCEPT_ENCODING = 'gzip, deflate, br';

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
  const headers: Record<string, string> = { [headerName('Host', step)]: url.host };
  const contentType = step.contentType !== undefined ? step.contentType : c.contentType;
  if (contentType) headers[headerName('Content-Type', step)] = contentType;
  const token = {
    valid: target.token,
    forbidden: target.forbiddenToken,
    unknown: c.token,
    malformed: c.token,
    none: undefined,
    tampered: undefined, // AK/SK only
    skewed: undefined,
  }[c.auth];
  if (token !== undefined && !target.aksk) headers[headerName('X-Auth-Token', step)] = token;
  const body = 'json' in c.body ? (step.text ?? JSON.stringify(c.body.json)) : c.body.raw;
  // Node adds Content-Length and Connection; the record shows them
  headers[headerName('Accept-Encoding', step)] = ACCEPT_ENCODING;
  for (const [k, v] of target.headers ?? []) headers[k] = v;
  return { method: operation.method, url: url.toString(), headers, body };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const linkOf = (t: Target): Link => ({
  proxy: t.proxy,
  tls: t.tls,
  timeoutMs: t.timeoutMs,
  maxBodyBytes: t.maxBodyBytes,
});

/** One attempt, paced: the request as Node wrote it, and what came back. */
async function once(
  c: Case,
  w: WireRequest,
  target: Target,
): Promise<{ sent: WireRequest; result: WireResponse | TransportError }> {
  await pacerFor(target.rateLimit)?.acquire();
  const body = w.body === null ? null : Buffer.from(w.body, 'utf8');
  const out = { method: w.method, url: w.url, headers: w.headers, body };
  // Signed per attempt: a retry after a long Retry-After wait gets a fresh X-Sdk-Date.
  if (target.aksk) out.headers = signed(c, target.aksk, target.projectId, out);
  const x = await exchange(out, linkOf(target));
  const headers = Object.keys(x.sentHeaders).length ? x.sentHeaders : w.headers;
  return { sent: { ...w, headers }, result: x.result };
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
    const { sent, result: r } = await once(c, w, target);
    const took = () => performance.now() - started;
    if ('kind' in r) return { request: sent, error: r, attempts, throttled: false, durationMs: took() };
    const wait =
      r.status === 429
        ? (retryAfterMs(r.headers['retry-after']) ?? 1000)
        : r.status === 503
          ? retryAfterMs(r.headers['retry-after'])
          : undefined;
    if (wait === undefined) return { request: sent, response: r, attempts, throttled: false, durationMs: took() };
    if (attempts >= target.retry.attempts)
      return { request: sent, response: r, attempts, throttled: true, durationMs: took() };
    await sleep(Math.min(wait, target.retry.maxWaitMs));
  }
}
