// Things that stand between the suite and a server, on loopback, for the network tests: a forward
// proxy that counts what it carried, an HTTPS front with a certificate made at test time (openssl),
// a redirecting front and a front that records the request headers it received.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Front {
  url: string;
  close(): Promise<void>;
}

function listen(server: http.Server | https.Server, scheme: 'http' | 'https'): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

const closer = (server: http.Server) => () =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/** Passes a request on to `target` (an http URL) and its answer back, bytes unchanged. */
function forward(req: http.IncomingMessage, res: http.ServerResponse, target: string, path = req.url ?? '/'): void {
  const t = new URL(target);
  const out = http.request(
    { host: t.hostname, port: t.port, method: req.method, path, headers: req.headers, agent: false },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', () => res.destroy());
  req.pipe(out);
}

export interface ForwardProxy extends Front {
  carried: string[]; // absolute-form request targets it passed on
  tunnels: string[]; // CONNECT authorities it opened
  refused: number; // requests and CONNECTs it answered 407 (or `connectStatus`)
}

export interface ProxyRules {
  auth?: string; // "user:password" it wants in Proxy-Authorization; any other is answered 407
  refuseAfter?: number; // from this many requests and CONNECTs on, every one is answered 407
  connectStatus?: number; // CONNECTs answered with this status instead of a tunnel
}

/** An HTTP forward proxy: absolute-form requests for http targets, CONNECT tunnels for https ones. */
export async function forwardProxy(rules: ProxyRules = {}): Promise<ForwardProxy> {
  const carried: string[] = [];
  const tunnels: string[] = [];
  let seen = 0;
  const counts = { refused: 0 };
  const wanted = rules.auth && `Basic ${Buffer.from(rules.auth).toString('base64')}`;
  const refuses = (req: http.IncomingMessage) =>
    seen++ >= (rules.refuseAfter ?? Number.POSITIVE_INFINITY) ||
    (!!wanted && req.headers['proxy-authorization'] !== wanted);
  const refusal = (status: number) =>
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nProxy-Authenticate: Basic realm="fronts"\r\n` +
    'Content-Type: text/plain\r\nContent-Length: 7\r\nConnection: close\r\n\r\nrefused';
  const server = http.createServer((req, res) => {
    if (refuses(req)) {
      counts.refused++;
      req.resume();
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="fronts"', 'Content-Type': 'text/plain' });
      return res.end('proxy authentication required');
    }
    const url = new URL(req.url ?? '/');
    carried.push(req.url ?? '');
    forward(req, res, url.origin, url.pathname + url.search);
  });
  const open = new Set<net.Socket>();
  server.on('connect', (req, socket, head) => {
    const status = refuses(req) ? 407 : rules.connectStatus;
    if (status) {
      counts.refused++;
      return socket.end(refusal(status));
    }
    tunnels.push(req.url ?? '');
    open.add(socket as net.Socket);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    open.add(upstream);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  const close = closer(server);
  return {
    url: await listen(server, 'http'),
    carried,
    tunnels,
    get refused() {
      return counts.refused;
    },
    close: () => {
      for (const s of open) s.destroy(); // tunnels left the server's books when they were opened
      return close();
    },
  };
}

export interface Certs {
  ca: string; // PEM
  caFile: string;
  cert: string;
  key: string;
  clientCertFile: string;
  clientKeyFile: string;
  dispose(): void;
}

/**
 * A CA, a server certificate and a client certificate, all signed by that CA. The server's names are
 * `san` (by default the address 127.0.0.1 alone, so that nothing but the address can make it valid).
 */
export function makeCerts(san = 'IP:127.0.0.1'): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-certs-'));
  const f = (n: string) => join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=conformance test CA',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
  );
  writeFileSync(f('san.ext'), `subjectAltName=${san}\n`);
  for (const who of ['server', 'client']) {
    ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${who}`,
      '-keyout',
      f(`${who}.key`),
      '-out',
      f(`${who}.csr`),
    );
    ssl(
      'x509',
      '-req',
      '-in',
      f(`${who}.csr`),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      f(`${who}.pem`),
      ...(who === 'server' ? ['-extfile', f('san.ext')] : []),
    );
  }
  return {
    ca: readFileSync(f('ca.pem'), 'utf8'),
    caFile: f('ca.pem'),
    cert: readFileSync(f('server.pem'), 'utf8'),
    key: readFileSync(f('server.key'), 'utf8'),
    clientCertFile: f('client.pem'),
    clientKeyFile: f('client.key'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An HTTPS front for an http target; `requireClientCert` asks for a client certificate signed by the CA. */
export async function httpsFront(certs: Certs, target: string, requireClientCert = false): Promise<Front> {
  const server = https.createServer(
    {
      cert: certs.cert,
      key: certs.key,
      ...(requireClientCert ? { ca: certs.ca, requestCert: true, rejectUnauthorized: true } : {}),
    },
    (req, res) => forward(req, res, target),
  );
  server.on('tlsClientError', () => {}); // a client that does not trust us hangs up: expected here
  return { url: await listen(server, 'https'), close: closer(server) };
}

/** Answers every request with a redirect to `location`. */
export async function redirectFront(location: string, status = 307): Promise<Front & { hits: () => number }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(status, { Location: location + (req.url ?? ''), 'Content-Length': 0 });
    res.end();
  });
  return { url: await listen(server, 'http'), hits: () => hits, close: closer(server) };
}

export interface Recording extends Front {
  received: { rawHeaders: string[]; at: number }[];
  inFlight: { now: number; max: number };
}

/** Forwards to `target` and records each request's headers as received, its arrival time and the requests in flight. */
export async function recordingFront(target: string): Promise<Recording> {
  const received: Recording['received'] = [];
  const inFlight = { now: 0, max: 0 };
  const server = http.createServer((req, res) => {
    received.push({ rawHeaders: req.rawHeaders, at: Date.now() });
    inFlight.now++;
    inFlight.max = Math.max(inFlight.max, inFlight.now);
    res.on('close', () => inFlight.now--);
    forward(req, res, target);
  });
  return { url: await listen(server, 'http'), received, inFlight, close: closer(server) };
}
