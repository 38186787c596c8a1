// The network flags: proxy, TLS, extra headers and pacing. Files are read here, so that a missing or
// unreadable one is a usage error (exit 2) before anything is sent.

import { readFileSync } from 'node:fs';
import { parseRate } from '../suites/engine/pace.ts';
import type { NetworkOptions } from '../suites/run/options.ts';
import { UsageError } from './usage.ts';

export const NETWORK_OPTIONS = {
  proxy: { type: 'string' },
  ca: { type: 'string' },
  insecure: { type: 'boolean' },
  'client-cert': { type: 'string' },
  'client-key': { type: 'string' },
  header: { type: 'string', multiple: true },
  'secret-header': { type: 'string', multiple: true },
  'secret-header-file': { type: 'string' },
  'rate-limit': { type: 'string' },
} as const;

/** Flags whose CONFORMANCE_* twin holds one value per line (a header value may hold commas). */
export const LINE_LISTS: ReadonlySet<string> = new Set(['header', 'secret-header']);

export const NETWORK_HELP = `Network (remote targets; the embedded reference server is always reached directly)
  --proxy URL             HTTP(S) proxy for the target; else HTTPS_PROXY/HTTP_PROXY/NO_PROXY
                          (either letter case) decide                         CONFORMANCE_PROXY
  --ca FILE               PEM CA(s) trusted in addition to Node's roots      CONFORMANCE_CA
  --insecure              do not verify the server's certificate (every report says so)  CONFORMANCE_INSECURE=1
  --client-cert FILE      PEM client certificate (mutual TLS), with --client-key  CONFORMANCE_CLIENT_CERT
  --client-key FILE       PEM key of the client certificate                  CONFORMANCE_CLIENT_KEY
  --header 'Name: value'  sent on every request (repeatable)                 CONFORMANCE_HEADER (one per line)
  --secret-header 'Name: value'  likewise, the value redacted like a token   CONFORMANCE_SECRET_HEADER (one per line)
  --secret-header-file FILE  secret headers, one per line                    CONFORMANCE_SECRET_HEADER_FILE
  --rate-limit N/s|N/m    at most N requests started in any second/minute, retries
                          and preflights included                            CONFORMANCE_RATE_LIMIT`;

// Headers the suite sets itself: a case, the credentials or the transport own them.
const OWNED = [
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'accept-encoding',
  'x-auth-token',
  'authorization',
  'x-sdk-date',
  'x-security-token',
  'x-project-id',
];
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/; // RFC 9110 field-name

export function parseHeader(flag: string, line: string): [string, string] {
  const at = line.indexOf(':');
  const name = line.slice(0, Math.max(at, 0)).trim();
  const value = line.slice(at + 1).trim();
  if (at <= 0 || !TOKEN.test(name)) throw new UsageError(`--${flag} must look like 'Name: value'`);
  if (/[\r\n\0]/.test(value)) throw new UsageError(`--${flag} ${name}: the value holds a line break`);
  if (OWNED.includes(name.toLowerCase())) throw new UsageError(`--${flag} ${name}: that header is set by the suite`);
  // An empty secret would hide nothing and redact nothing: a mistake, like a header without a colon.
  if (flag.startsWith('secret-header') && !value) throw new UsageError(`--${flag} ${name}: the value is empty`);
  return [name, value];
}

function readFile(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--${flag} ${file}: ${(e as NodeJS.ErrnoException).code ?? 'cannot be read'}`);
  }
}

function pem(flag: string, file: string | undefined, kind: RegExp): string | undefined {
  if (file === undefined) return undefined;
  const text = readFile(flag, file);
  if (!kind.test(text)) throw new UsageError(`--${flag} ${file}: not a PEM file of the expected kind`);
  return text;
}

type NetworkValues = {
  [K in keyof typeof NETWORK_OPTIONS]?: K extends 'header' | 'secret-header'
    ? string[]
    : K extends 'insecure'
      ? boolean
      : string;
};

export function networkOptions(v: NetworkValues, baseUrl: string | undefined): NetworkOptions {
  const remoteOnly = ['proxy', 'ca', 'insecure', 'client-cert', 'client-key'] as const;
  const given = remoteOnly.find((k) => v[k] !== undefined && v[k] !== false);
  if (!baseUrl && given)
    throw new UsageError(`--${given} applies to --base-url only (the embedded reference server is local)`);
  if (v.proxy !== undefined && !/^https?:\/\/[^/]+/i.test(v.proxy))
    throw new UsageError('--proxy must be an http:// or https:// URL');
  if (!!v['client-cert'] !== !!v['client-key']) throw new UsageError('--client-cert and --client-key go together');
  if (v.insecure && v.ca) throw new UsageError('--insecure and --ca contradict each other: choose one');
  const rate = v['rate-limit'] === undefined ? undefined : parseRate(v['rate-limit']);
  if (v['rate-limit'] !== undefined && !rate)
    throw new UsageError(`--rate-limit must look like 10/s or 600/m, got ${JSON.stringify(v['rate-limit'])}`);
  const secretLines = [
    ...(v['secret-header'] ?? []),
    ...(v['secret-header-file'] ? readFile('secret-header-file', v['secret-header-file']).split(/\r?\n/) : []),
  ].filter((l) => l.trim());
  const tls = {
    ca: pem('ca', v.ca, /-----BEGIN CERTIFICATE-----/),
    cert: pem('client-cert', v['client-cert'], /-----BEGIN CERTIFICATE-----/),
    key: pem('client-key', v['client-key'], /-----BEGIN [A-Z ]*PRIVATE KEY-----/),
    insecure: v.insecure || undefined,
  };
  return {
    proxy: v.proxy,
    tls: Object.values(tls).some((x) => x !== undefined) ? tls : undefined,
    headers: (v.header ?? []).map((l) => parseHeader('header', l)),
    secretHeaders: secretLines.map((l) => parseHeader('secret-header', l)),
    rateLimit: rate,
  };
}
