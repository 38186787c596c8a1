// One HTTP exchange over node:http(s), with nothing added behind our back: the headers recorded are the
// ones Node wrote; redirects are not followed (a 3xx is judged as the status it is); proxies, extra CAs,
// mutual TLS and --insecure come from the target; gzip, deflate and br answers are decoded, and the read
// cap bounds the bytes received and the bytes decoded alike. Never throws: trouble comes back as data.

import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import { checkServerIdentity, rootCertificates, type PeerCertificate } from 'node:tls';
import zlib from 'node:zlib';
import type { HttpProxyAgent } from 'http-proxy-agent';
import type { HttpsProxyAgent } from 'https-proxy-agent';

// The proxy agents (CommonJS) are required only when a proxy is used: most runs, the embedded one
// always, go direct.
const require = createRequire(import.meta.url);
const proxyAgents = () => ({
  HttpProxyAgent: (require('http-proxy-agent') as { HttpProxyAgent: typeof HttpProxyAgent }).HttpProxyAgent,
  HttpsProxyAgent: (require('https-proxy-agent') as { HttpsProxyAgent: typeof HttpsProxyAgent }).HttpsProxyAgent,
});

export interface Tls {
  ca?: string; // PEM: trusted in addition to Node's roots
  cert?: string; // PEM client certificate (mutual TLS)
  key?: string; // PEM client key
  insecure?: boolean; // no certificate verification
}

export interface Link {
  proxy?: string; // http(s)://[user:pass@]host:port
  tls?: Tls;
  timeoutMs: number;
  maxBodyBytes: number;
}

export interface Outgoing {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  truncated: boolean;
  /** The Content-Encoding we decoded, if any. */
  encoding?: string;
}

/** `proxy`: the proxy itself refused (a 407, or a CONNECT it did not answer 200): nothing reached the target. */
export type TransportError = {
  kind: 'timeout' | 'dropped' | 'refused' | 'tls' | 'proxy' | 'other';
  message: string;
};

export interface Exchanged {
  /** The header lines Node wrote, in order (names as sent). */
  sentHeaders: Record<string, string>;
  result: WireResponse | TransportError;
}

const agents = new Map<string, http.Agent>();

function tlsOptions(tls: Tls | undefined): https.AgentOptions {
  return {
    ...(tls?.ca ? { ca: [...rootCertificates, tls.ca] } : {}),
    ...(tls?.cert ? { cert: tls.cert } : {}),
    ...(tls?.key ? { key: tls.key } : {}),
    ...(tls?.insecure ? { rejectUnauthorized: false } : {}),
  };
}

/** One keep-alive agent per (scheme, proxy, TLS settings): connections are reused across cases. */
function agentFor(url: URL, link: Link): http.Agent {
  const id = JSON.stringify([url.protocol, link.proxy ?? '', link.tls ?? {}]);
  let agent = agents.get(id);
  if (agent) return agent;
  const base = { keepAlive: true, ...tlsOptions(link.tls) };
  if (link.proxy) {
    const { HttpProxyAgent, HttpsProxyAgent } = proxyAgents();
    agent = url.protocol === 'https:' ? new HttpsProxyAgent(link.proxy, base) : new HttpProxyAgent(link.proxy, base);
  } else agent = url.protocol === 'https:' ? new https.Agent(base) : new http.Agent(base);
  agents.set(id, agent);
  return agent;
}

/** Closes idle kept-alive sockets (end of a run). */
export function closeAgents(): void {
  for (const a of agents.values()) a.destroy();
  agents.clear();
}

const TLS_CODES =
  /^(ERR_TLS_|ERR_SSL_|EPROTO$|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_|ERR_OSSL_)/;

export function classify(e: unknown, link: Link): TransportError {
  const err = e as NodeJS.ErrnoException;
  const code = err.code ?? '';
  const via = link.proxy ? ` (via the proxy ${redactUserinfo(link.proxy)})` : '';
  if (code === 'ETIMEDOUT') return { kind: 'timeout', message: 'no complete answer within the timeout' };
  if (code === 'ECONNREFUSED') return { kind: 'refused', message: `connection refused${via}` };
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return {
      kind: 'tls',
      message:
        `TLS failed: ${err.message} (${code})${via}. The server's certificate is not for the host in --base-url: ` +
        'use a --base-url with a name or address the certificate carries (or --insecure to skip verification)',
    };
  if (TLS_CODES.test(code) || /certificate|SSL routines|TLS/i.test(err.message ?? ''))
    return {
      kind: 'tls',
      message:
        `TLS failed: ${err.message} (${code || 'tls'})${via}. If the server's certificate is signed by a private ` +
        'or corporate CA, give that CA with --ca FILE; to skip verification altogether, --insecure; ' +
        'a server that asks for a client certificate needs --client-cert FILE --client-key FILE',
    };
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|aborted/i.test(err.message ?? ''))
    return {
      kind: 'dropped',
      message: `the connection was dropped before a complete answer (${code || err.message})${via}`,
    };
  return { kind: 'other', message: `${err.message ?? String(e)}${via}` };
}

export const redactUserinfo = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

/**
 * The proxy's own refusal, if `status` is one: through a proxy a 407 is always the proxy's, and so is any
 * answer to a CONNECT that is not 200 (https-proxy-agent replays it as if it were the target's answer).
 */
function proxyRefusal(url: URL, link: Link, status: number, connectStatus: number | undefined): TransportError | null {
  if (!link.proxy) return null;
  const variable = url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  if (status === 407 || connectStatus === 407)
    return { kind: 'proxy', message: `the proxy refused the credentials (407): check --proxy / ${variable}` };
  if (connectStatus === undefined || connectStatus === 200) return null;
  return {
    kind: 'proxy',
    message:
      `the proxy ${redactUserinfo(link.proxy)} would not open a tunnel to ${url.host} (CONNECT answered ` +
      `${connectStatus}): check --proxy / ${variable} and NO_PROXY`,
  };
}

/**
 * The target's certificate checked against the target's host name. Through a CONNECT tunnel
 * https-proxy-agent leaves the host out of the TLS options, and Node would check the certificate against
 * "localhost" (or the proxy) whenever the target is an IP address, which has no SNI name to fall back on.
 */
function identityOf(url: URL): { checkServerIdentity: (host: string, cert: PeerCertificate) => Error | undefined } {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { checkServerIdentity: (_: string, cert: PeerCertificate) => checkServerIdentity(host, cert) };
}

/** The header block Node wrote ("POST /p HTTP/1.1\r\nName: value\r\n...") as a name -> value map. */
function parseHeaderBlock(block: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (block ?? '').split('\r\n').slice(1)) {
    const at = line.indexOf(':');
    if (at <= 0) continue;
    const name = line.slice(0, at);
    const value = line.slice(at + 1).trim();
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  }
  return out;
}

function isZlib(b: Buffer): boolean {
  return b.length >= 2 && (b[0] & 0x0f) === 8 && ((b[0] << 8) | b[1]) % 31 === 0;
}

type Decoded = { bytes: Buffer; over: boolean } | { error: string };

/**
 * Decodes a (possibly cut) body; at most `cap` decoded bytes are kept. Streamed, so that an answer that
 * inflates past the cap keeps its first `cap` bytes (the one-shot decoders throw them away) and the
 * decoder stops there.
 */
function decode(raw: Buffer, encoding: string, cap: number): Promise<Decoded> {
  const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip(flush)
      : encoding === 'deflate'
        ? isZlib(raw)
          ? zlib.createInflate(flush)
          : zlib.createInflateRaw(flush)
        : zlib.createBrotliDecompress();
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    let size = 0;
    let settled = false;
    const end = (d: Decoded) => {
      if (settled) return;
      settled = true;
      decoder.destroy();
      resolve(d);
    };
    decoder.on('data', (chunk: Buffer) => {
      out.push(chunk);
      size += chunk.length;
      if (size > cap) end({ bytes: Buffer.concat(out).subarray(0, cap), over: true });
    });
    decoder.on('end', () => end({ bytes: Buffer.concat(out), over: false }));
    decoder.on('error', (e) => end({ error: `the ${encoding} body could not be decoded (${e.message})` }));
    decoder.end(raw);
  });
}

export const DECODED = ['gzip', 'x-gzip', 'deflate', 'br'];

function flatten(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Sends one request and reads its answer within the deadline and the read cap. */
export function exchange(o: Outgoing, link: Link): Promise<Exchanged> {
  const url = new URL(o.url);
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    let sentHeaders: Record<string, string> = {};
    const finish = (result: WireResponse | TransportError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ sentHeaders, result });
    };
    let req: http.ClientRequest;
    try {
      req = mod.request(url, {
        method: o.method,
        headers: o.headers,
        agent: agentFor(url, link),
        ...tlsOptions(link.tls),
        ...(url.protocol === 'https:' ? identityOf(url) : {}),
      });
    } catch (e) {
      // e.g. a header value Node refuses to send: nothing went out
      return resolve({ sentHeaders, result: { kind: 'other', message: (e as Error).message } });
    }
    const timer = setTimeout(() => {
      finish({ kind: 'timeout', message: 'no complete answer within the timeout' });
      req.destroy();
    }, link.timeoutMs);
    req.on('error', (e) => finish(classify(e, link)));
    let connectStatus: number | undefined;
    req.on('proxyConnect', (connect: { statusCode?: number }) => (connectStatus = connect.statusCode));
    req.on('response', (res) => {
      const refused = proxyRefusal(url, link, res.statusCode ?? 0, connectStatus);
      if (refused) {
        res.resume();
        return finish(refused);
      }
      const cap = link.maxBodyBytes;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (cut: boolean) => {
        if (settled) return;
        const raw = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding']?.trim().toLowerCase();
        const base = { status: res.statusCode ?? 0, headers: flatten(res.headers) };
        if (!encoding || !DECODED.includes(encoding))
          return finish({ ...base, text: raw.toString('utf8'), truncated: cut });
        void decode(raw, encoding, cap).then((d) =>
          'error' in d
            ? finish({ kind: 'dropped', message: d.error })
            : finish({ ...base, text: d.bytes.toString('utf8'), truncated: cut || d.over, encoding }),
        );
      };
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        const room = cap - size;
        size += chunk.length;
        chunks.push(chunk.length > room ? chunk.subarray(0, Math.max(0, room)) : chunk);
        if (size > cap) {
          done(true);
          res.destroy(); // an endless body cannot hang us
        }
      });
      res.on('end', () => done(false));
      res.on('error', (e) => finish(classify(e, link)));
      res.on('aborted', () => finish({ kind: 'dropped', message: 'the connection was dropped mid-answer' }));
    });
    req.end(o.body ?? undefined);
    sentHeaders = parseHeaderBlock((req as unknown as { _header?: string })._header);
  });
}
