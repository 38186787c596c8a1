// In-process entry point of the reference server: the embedded default target of the conformance run.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createFaultHooks, isFaultName, type FaultName } from './faults.ts';
import { resolveFixtures, type Fixtures } from './fixtures.ts';
import { createHarmlessHooks, type HarmlessName } from './harmless.ts';
import { type Answering, ERRORS, handleRequest, pathOf, sendError } from './handler.ts';
import { IamTokens } from './iam.ts';
import { ProjectState, type SyncRecord } from './state.ts';

export { DEFAULT_FIXTURES, type Fixtures } from './fixtures.ts';
export { FAULTS, FAULT_NAMES, isFaultName, TOKEN_LIFETIME, type FaultInfo, type FaultName } from './faults.ts';
export { HARMLESS, HARMLESS_NAMES, isHarmlessName, type HarmlessInfo, type HarmlessName } from './harmless.ts';
export type { SyncRecord } from './state.ts';

export interface ReferenceServerOptions {
  /** Default 0 (ephemeral) in-process. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  fixtures?: Partial<Fixtures>;
  fault?: FaultName | null;
  /** Harmless switches: variations the page allows (any number at once). */
  harmless?: readonly HarmlessName[];
  /** The first token the stub IAM issues expires after this many requests (tests of a mid-run refresh). */
  iamFirstTokenUses?: number;
  /** One line per request (method, path, status, ms) and any internal error; default: silent. */
  log?: (line: string) => void;
}

export interface ReferenceServer {
  url: string;
  fixtures: Fixtures;
  /** Stops listening and destroys open sockets (a hung request never keeps close() waiting). */
  close(): Promise<void>;
  /** The sync calls served so far (bounded), e.g. to see that force_sync was recorded. */
  syncLog(): readonly SyncRecord[];
  /** Successful logins at the stub IAM endpoint (POST /v3/auth/tokens). */
  iamLogins(): number;
}

// Generous for a local test server, but short enough that a slow-loris client cannot hold a socket long.
const TIMEOUTS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
};

export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const fault = options.fault ?? null;
  if (fault !== null && !isFaultName(fault)) throw new Error(`unknown fault: ${String(fault)}`);
  const fixtures = resolveFixtures(options.fixtures);
  const state = new ProjectState(fixtures);
  const tokens = new IamTokens(options.iamFirstTokenUses);
  const hooks = createFaultHooks(fault);
  const harmless = createHarmlessHooks(options.harmless);
  const log = options.log ?? (() => {});
  const host = options.host ?? '127.0.0.1';

  const server = createServer({ ...TIMEOUTS, maxHeaderSize: 16 * 1024 }, (req, res) =>
    serve(req, res, { fixtures, state, tokens, hooks, harmless }, log),
  );
  server.on('clientError', onClientError);

  await listen(server, options.port ?? 0, host);
  server.on('error', (e) => log(`server error: ${e.message}`)); // e.g. EMFILE on accept: log, keep serving
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}`,
    fixtures: resolveFixtures(fixtures), // a copy: callers mutating it cannot change the server
    syncLog: () => state.syncLog(),
    iamLogins: () => tokens.logins,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // also the hung and the streaming ones
      });
      return closing;
    },
  };
}

/** Wraps the handler: logs one line per request and turns a bug of ours into a 500 (never a crash). */
function serve(
  req: IncomingMessage,
  res: ServerResponse,
  deps: Parameters<typeof handleRequest>[2],
  log: (l: string) => void,
): void {
  const started = process.hrtime.bigint();
  res.on('error', (e) => log(`response error: ${e.message}`)); // a write racing a client reset must not crash us
  res.once('close', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const status = res.headersSent ? String(res.statusCode) : '-';
    log(`${req.method ?? '-'} ${printable(pathOf(req.url))} ${status} ${ms.toFixed(1)}ms`);
  });
  handleRequest(req, res, deps).catch((err: unknown) => bug(err, res, deps, log));
}

function bug(err: unknown, res: ServerResponse, a: Answering, log: (l: string) => void): void {
  log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  try {
    if (res.headersSent) res.destroy();
    else sendError(res, a, 500, ERRORS.system.code, ERRORS.system.msg);
  } catch {
    res.destroy();
  }
}

/** Malformed HTTP (bad framing, oversized headers, timeouts) gets a JSON 400 rather than Node's 4xx mix. */
function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const why =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'request not received in time'
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? 'request headers too large'
        : 'malformed HTTP request';
  const body = JSON.stringify({ error_code: ERRORS.invalidParameter, error_msg: `Bad Request: ${why}` });
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 1_000).unref();
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** A URL a client can use: wildcard binds are reached through loopback; IPv6 literals get brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Keeps the log one line per request whatever the client put in the path. */
function printable(s: string): string {
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}...` : clean;
}
