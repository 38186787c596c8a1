// SDK-HMAC-SHA256: the AK/SK signing scheme of Huawei Cloud's SDKs and API Gateway, as the vendor SDK
// core's AKSKSigner computes it. That signer hashes JSON.stringify(data) rather than the bytes on the
// wire, so it cannot sign the raw, malformed and empty bodies this suite sends; this module signs the
// exact bytes instead, and the tests prove it byte-equal to the SDK's signer (a dev dependency).

import { createHash, createHmac } from 'node:crypto';

export const ALGORITHM = 'SDK-HMAC-SHA256';
export const DATE_HEADER = 'X-Sdk-Date';

export interface AkSk {
  ak: string;
  sk: string;
}

export interface ToSign {
  method: string;
  url: string;
  /** Headers to sign (Host and X-Sdk-Date are added); names keep their case, the canonical form is lower case. */
  headers: Record<string, string>;
  body: Buffer | null;
}

/** 20240102T030405Z, the X-Sdk-Date format (UTC). */
export function sdkDate(d: Date): string {
  return `${d.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
}

// The SDK's urlEncode: RFC 3986 unreserved characters stay, every other byte of the UTF-8 form is %XX.
const encode = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${hex2(b)}`))
    .join('');
const hex2 = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');

/** Each segment of the path as it stands in the URL, encoded once more; always ends with "/". */
export function canonicalUri(pathname: string): string {
  const uri = pathname.split('/').map(encode).join('/');
  return uri.endsWith('/') ? uri : `${uri}/`;
}

export function canonicalQuery(search: URLSearchParams): string {
  const keys = [...new Set(search.keys())].sort();
  return keys
    .flatMap((k) =>
      search
        .getAll(k)
        .sort()
        .map((v) => `${encode(k)}=${encode(v)}`),
    )
    .join('&');
}

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * The headers to send: the given ones plus Host, X-Sdk-Date (unless given) and Authorization.
 * `date` defaults to now; a given X-Sdk-Date header wins, as in the SDK.
 */
export function sign(req: ToSign, key: AkSk, date = new Date()): Record<string, string> {
  const url = new URL(req.url);
  const headers: Record<string, string> = { ...req.headers };
  const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase());
  if (!has('host')) headers.Host = url.host;
  if (!has(DATE_HEADER)) headers[DATE_HEADER] = sdkDate(date);
  const stamp = Object.entries(headers).find(([k]) => k.toLowerCase() === DATE_HEADER.toLowerCase())![1];
  const names = Object.keys(headers).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  const signedHeaders = names.map((n) => n.toLowerCase()).join(';');
  const canonical = [
    req.method,
    canonicalUri(url.pathname),
    canonicalQuery(url.searchParams),
    names.map((n) => `${n.toLowerCase()}:${headers[n]}\n`).join(''),
    signedHeaders,
    sha256Hex(req.body ?? Buffer.alloc(0)),
  ].join('\n');
  const stringToSign = [ALGORITHM, stamp, sha256Hex(canonical)].join('\n');
  const signature = createHmac('sha256', key.sk).update(stringToSign).digest('hex');
  headers.Authorization = `${ALGORITHM} Access=${key.ak}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
