// The reference server's check of an SDK-HMAC-SHA256 signature, written from the verifier's side (the
// request as received: its raw path, the headers it names, the SHA-256 of the bytes that arrived), apart
// from the client's signer so that one cannot excuse the other's mistake.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SIGNATURE_SKEW_MS = 15 * 60 * 1000; // API Gateway's tolerance for X-Sdk-Date

export interface KeyPair {
  ak: string;
  sk: string;
  /** Temporary credentials: the X-Security-Token that must come with this AK. */
  securityToken?: string;
}

export type Verdict = { ok: true; ak: string } | { ok: false; why: string };

const AUTH = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

const pct = (b: number) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
const uriEncode = (s: string) =>
  Array.from(Buffer.from(s, 'utf8'), (b) =>
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    '-_.~'.includes(String.fromCharCode(b))
      ? String.fromCharCode(b)
      : pct(b),
  ).join('');

function canonicalPath(rawUrl: string): string {
  const path = rawUrl.split('?')[0].replace(/^[a-z]+:\/\/[^/]*/i, '');
  const encoded = path.split('/').map(uriEncode).join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

function canonicalQuery(rawUrl: string): string {
  const q = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '';
  const pairs = [...new URLSearchParams(q)].map(([k, v]) => [uriEncode(k), uriEncode(v)]);
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** 20240102T030405Z -> epoch ms, or NaN. */
function parseSdkDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : Number.NaN;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/** What is checked: everything, unless a fault switch leaves the body's signature or the date's skew out. */
export interface SignatureChecks {
  body: boolean;
  date: boolean;
}

/** `bodySha256` undefined: the body was too large to hash, and is refused for its size instead. */
export function verifySignature(
  req: IncomingMessage,
  bodySha256: string | undefined,
  keys: readonly KeyPair[],
  now = Date.now(),
  checks: SignatureChecks = { body: true, date: true },
): Verdict {
  const m = AUTH.exec(header(req, 'authorization')?.trim() ?? '');
  if (!m) return { ok: false, why: 'Authorization is not an SDK-HMAC-SHA256 signature' };
  const [, ak, signedHeaders, signature] = m;
  const key = keys.find((k) => k.ak === ak);
  if (!key) return { ok: false, why: 'unknown access key' };
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-sdk-date'))
    return { ok: false, why: 'host and x-sdk-date must be signed' };
  const stamp = header(req, 'x-sdk-date') ?? '';
  const at = parseSdkDate(stamp);
  if (Number.isNaN(at) || (checks.date && Math.abs(now - at) > SIGNATURE_SKEW_MS))
    return { ok: false, why: 'X-Sdk-Date missing or too far from now' };
  if (key.securityToken !== undefined && header(req, 'x-security-token') !== key.securityToken)
    return { ok: false, why: 'the security token does not match the temporary access key' };
  const values = names.map((n) => header(req, n));
  if (values.some((v) => v === undefined)) return { ok: false, why: 'a signed header is missing' };
  const canonical = [
    req.method ?? '',
    canonicalPath(req.url ?? '/'),
    canonicalQuery(req.url ?? '/'),
    names.map((n, i) => `${n}:${values[i]}\n`).join(''),
    signedHeaders,
    bodySha256 ?? '',
  ].join('\n');
  // Without the body check the signature cannot be recomputed: it covers the hash of the body it was made for.
  if (bodySha256 === undefined || !checks.body) return { ok: true, ak };
  const toSign = `SDK-HMAC-SHA256\n${stamp}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const expected = createHmac('sha256', key.sk).update(toSign).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'))
    ? { ok: true, ak }
    : { ok: false, why: 'bad signature' };
}
