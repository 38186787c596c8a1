// The request handler: routing, auth, body handling and the sync itself, in the order the contract needs
// (auth before the body's meaning; every client mistake a 4xx of the documented set). Fault switches are
// consulted only through the FaultHooks object.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { verifySignature } from './aksk.ts';
import { type BodyResult, readBody } from './body.ts';
import type { JsonObject } from './channels.ts';
import { JSON_TYPE, type AuthKind, type FaultHooks, type Payload, type SyncContext } from './faults.ts';
import type { Fixtures } from './fixtures.ts';
import type { HarmlessHooks } from './harmless.ts';
import { handleIamTokens, IAM_TOKENS_PATH, type IamTokens } from './iam.ts';
import { parseSyncBody } from './request.ts';
import { entryFor, type ProjectState } from './state.ts';

const ROUTE = /^\/v2\/([^/]+)\/apic\/vpc-channels\/syncs$/;

/** How answers are written: the fault switch's payloads and the harmless switches' transport. */
export interface Answering {
  hooks: FaultHooks;
  harmless: HarmlessHooks;
}

export interface HandlerDeps extends Answering {
  fixtures: Fixtures;
  state: ProjectState;
  tokens: IamTokens;
}

export const ERRORS = {
  notFound: { code: 'APIG.0101', msg: 'The API does not exist or has not been published in the environment' },
  badToken: { code: 'APIG.1002', msg: 'Incorrect token or token resolution failed' },
  noPermission: { code: 'APIG.1005', msg: 'No permissions to request this method' },
  otherProject: { code: 'APIG.2012', msg: 'Invalid parameter: project_id' },
  refused: { code: 'APIG.3027', msg: 'The request cannot be carried out' },
  invalidParameter: 'APIG.2012',
  tooLarge: { code: 'APIG.2012', msg: 'Invalid parameter: body (request body too large)' },
  throttled: { code: 'APIG.0308', msg: 'The throttling threshold has been reached' },
  unavailable: { code: 'APIG.0201', msg: 'Service temporarily unavailable, retry later' },
  system: { code: 'APIG.9999', msg: 'System error' },
} as const;

/** Path without the query string; tolerant of absolute-form request targets. */
export function pathOf(rawUrl: string | undefined): string {
  const url = rawUrl ?? '/';
  try {
    return new URL(url, 'http://127.0.0.1').pathname;
  } catch {
    return url.split('?')[0];
  }
}

export async function handleRequest(req: IncomingMessage, res: ServerResponse, deps: HandlerDeps): Promise<void> {
  const path = pathOf(req.url);
  if (path === IAM_TOKENS_PATH && req.method === 'POST') return handleIamTokens(req, res, deps.fixtures, deps.tokens);
  const match = ROUTE.exec(path);
  if (!match || req.method !== 'POST') {
    // Only the documented route has the 201/400/401/403 contract.
    sendError(res, deps, 404, ERRORS.notFound.code, ERRORS.notFound.msg);
    return;
  }
  await handleSync(req, res, deps, decodeSegment(match[1]));
}

async function handleSync(
  req: IncomingMessage,
  res: ServerResponse,
  deps: HandlerDeps,
  projectId: string,
): Promise<void> {
  const { state, hooks, harmless } = deps;
  if (hooks.hang) {
    req.resume(); // drain so the request completes and no request timeout answers on our behalf
    return;
  }
  const body = await readBody(req);
  if (body.aborted) return; // nobody left to answer
  if (hooks.hangsOn(body.bytes)) return; // the socket stays open until the client gives up
  if (hooks.drop) {
    req.socket.destroy();
    return;
  }
  if (body.overHardLimit) closeAfterAnswer(res);

  const token = hooks.exactHeaderNames
    ? exactHeader(req.rawHeaders, 'X-Auth-Token')
    : headerText(req.headers['x-auth-token']);
  if (hooks.echoToken && token) safeSetHeader(res, 'X-Echo-Token', token);
  const echo = (msg: string) => (hooks.echoToken && token ? `${msg} (token: ${token})` : msg);

  const throttled = hooks.throttle(req.method ?? 'POST', req.url ?? '', body.bytes);
  if (throttled) {
    res.setHeader('Retry-After', '0');
    const e = throttled.status === 429 ? ERRORS.throttled : ERRORS.unavailable;
    sendError(res, deps, throttled.status, e.code, echo(e.msg));
    return;
  }

  // Credentials before the body (policy 8), unless the credentials-after-body harmless switch is on.
  const refusedCredentials = (): boolean => {
    const kind = authKind(req, body, token, projectId, deps);
    const decided = hooks.auth(kind);
    const decision = kind === 'other-project' && decided === 403 ? deps.harmless.otherProjectStatus : decided;
    if (decision === 'ok') return false;
    if (decision === 400 && kind === 'other-project')
      sendError(res, deps, 400, ERRORS.otherProject.code, echo(ERRORS.otherProject.msg));
    else if (decision === 400)
      sendError(res, deps, 400, ERRORS.invalidParameter, echo('Invalid parameter: X-Auth-Token'));
    else if (decision === 401) sendError(res, deps, 401, ERRORS.badToken.code, echo(ERRORS.badToken.msg));
    else sendError(res, deps, 403, ERRORS.noPermission.code, echo(ERRORS.noPermission.msg));
    return true;
  };
  if (!harmless.credentialsAfterBody && refusedCredentials()) return;

  const invalid = (code: string, msg: string) => sendError(res, deps, hooks.invalidInputStatus(), code, echo(msg));
  if (body.tooLarge) return invalid(ERRORS.tooLarge.code, ERRORS.tooLarge.msg);

  if (hooks.refuseContentType(req.headers['content-type']))
    return invalid(ERRORS.invalidParameter, 'Invalid parameter: Content-Type');
  const parsed = parseSyncBody(body.bytes, hooks.acceptInvalid, hooks.readBody);
  if (!parsed.ok) return invalid(ERRORS.invalidParameter, `Invalid parameter: ${parsed.parameter}`);

  const outcome = state.plan(
    parsed.request,
    hooks.ignoreUnknownIds || (harmless.unknownAmongKnownIgnored ? 'among-known' : false),
  );
  if (!outcome.ok) return invalid(outcome.code, outcome.msg);
  if (harmless.credentialsAfterBody && refusedCredentials()) return;
  if (hooks.refuseRepeat(token ?? '', req.url ?? '', body.bytes))
    return invalid(ERRORS.invalidParameter, 'Invalid parameter: duplicate request, already submitted');
  if (hooks.refuseValid) return invalid(ERRORS.invalidParameter, 'Invalid parameter: force_sync');
  const refusal = deps.harmless.refusal({
    value: parsed.value,
    forced: parsed.request.forceSync,
    alreadySynced: state.alreadySynced(outcome),
  });
  if (refusal) return invalid(ERRORS.refused.code, `${ERRORS.refused.msg}: ${refusal}`);
  state.commit(outcome, parsed.request.forceSync);

  const ctx: SyncContext = {
    channelIds: outcome.channelIds,
    instanceIds: outcome.instanceIds,
    requestedInstanceIds: parsed.request.instanceIds,
    allChannelIds: state.channels.map((c) => c.id),
    allInstanceIds: state.instances.map((i) => i.id),
    entry: (channelId, instanceId) =>
      entryFor(state.channel(channelId)!, state.instance(instanceId) ?? { id: instanceId, name: 'roma_instance_x' }),
  };
  if (hooks.endless) return streamEndless(res, outcome.entries[0] ?? {});
  const requested = parsed.request.instanceIds ?? outcome.instanceIds;
  const entries = deps.harmless.entries(outcome.entries, () =>
    outcome.channelIds.flatMap((c) => requested.map((i) => ctx.entry(c, i))),
  );
  const extra: JsonObject = { ...deps.harmless.extraBody, ...(hooks.echoToken && token ? { echo: token } : {}) };
  sendPayload(res, deps, hooks.successStatus(), hooks.successPayload(entries, ctx, extra));
}

/** A token (X-Auth-Token) is judged first; without one, an AK/SK signature (Authorization). */
function authKind(
  req: IncomingMessage,
  body: BodyResult,
  token: string | undefined,
  projectId: string,
  { fixtures, tokens, hooks }: HandlerDeps,
): AuthKind {
  const project = projectId === fixtures.projectId ? 'ok' : 'other-project';
  if (token) {
    if (token === fixtures.forbiddenToken) return 'forbidden';
    return token === fixtures.token || tokens.has(token) ? project : 'unknown';
  }
  if (!headerText(req.headers.authorization)) return 'missing';
  const keys = [fixtures.accessKey, fixtures.forbiddenAccessKey, fixtures.temporaryAccessKey];
  const verdict = verifySignature(req, body.sha256, keys, Date.now(), hooks.signature);
  if (!verdict.ok) return 'unknown';
  return verdict.ak === fixtures.forbiddenAccessKey.ak ? 'forbidden' : project;
}

export function sendError(res: ServerResponse, a: Answering, status: number, code: string, msg: string): void {
  sendPayload(res, a, status, a.hooks.errorPayload(status, code, msg));
}

export function sendPayload(res: ServerResponse, a: Answering, status: number, payload: Payload): void {
  if (a.harmless.answerDelayMs > 0) {
    const timer = setTimeout(() => writePayload(res, a.harmless, status, payload), a.harmless.answerDelayMs);
    res.once('close', () => clearTimeout(timer));
    return;
  }
  writePayload(res, a.harmless, status, payload);
}

const COMPRESS = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

function writePayload(res: ServerResponse, harmless: HarmlessHooks, status: number, payload: Payload): void {
  if (res.headersSent || res.destroyed) return;
  const coding = harmless.encodingFor(headerText(res.req?.headers['accept-encoding']));
  const text = Buffer.from(payload.text, 'utf8');
  const bytes = coding ? COMPRESS[coding](text) : text;
  const headers: Record<string, string | number> = {
    'Content-Type': harmless.contentType(payload.contentType),
    'Cache-Control': 'no-store',
  };
  if (coding) Object.assign(headers, { 'Content-Encoding': coding, Vary: 'Accept-Encoding' });
  if (!harmless.chunked) headers['Content-Length'] = bytes.length;
  if (harmless.connectionClose) headers.Connection = 'close';
  res.writeHead(status, headers);
  if (!harmless.chunked) return void res.end(bytes);
  // Two writes, so that the answer really goes out in chunks.
  const half = Math.floor(bytes.length / 2);
  res.write(bytes.subarray(0, half));
  res.end(bytes.subarray(half));
}

/** endless-body: a 201 JSON array that never closes; written only as fast as the client reads. */
function streamEndless(res: ServerResponse, entry: JsonObject): void {
  const chunk = Buffer.from(`${JSON.stringify(entry)},`.repeat(32));
  let stopped = false;
  res.on('close', () => {
    stopped = true;
  });
  res.writeHead(201, { 'Content-Type': JSON_TYPE });
  res.write('{"project_vpc_channels":[');
  const pump = (): void => {
    while (!stopped && !res.destroyed) {
      if (!res.write(chunk)) {
        res.once('drain', pump); // backpressure: no memory growth while the client is slow
        return;
      }
    }
  };
  pump();
}

/** After answering a body we stopped reading, the socket holds unread bytes: close it once answered. */
function closeAfterAnswer(res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  res.once('finish', () => setTimeout(() => res.socket?.destroy(), 50).unref());
}

/** A header's value only under exactly this spelling of its name (what a case-sensitive reader sees). */
function exactHeader(raw: string[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) if (raw[i] === name) return headerText(raw[i + 1]);
  return undefined;
}

function headerText(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v.join(', ') : v;
  return s === undefined || s.trim() === '' ? undefined : s;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function safeSetHeader(res: ServerResponse, name: string, value: string): void {
  try {
    res.setHeader(name, value);
  } catch {
    // a value Node refuses to send back is simply not echoed
  }
}
