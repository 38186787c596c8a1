// Harmless switches: each one varies ONE behaviour of the reference server in a way the page allows, so
// that the conformance suite can prove it stays fair: a run against a server with any of them on must
// not fail (a warning is fine). Unlike fault switches, several may be on at once. This file holds the
// metadata (HARMLESS) and the small hooks the server consults; the handler asks only these hooks.

export interface HarmlessInfo {
  name: HarmlessName;
  /** Why a conformant server may do this: the ambiguity policy item or the standard that allows it. */
  allowedBy: string;
  description: string;
}

const h = <N extends string>(name: N, allowedBy: string, description: string) =>
  ({ name, allowedBy, description }) as const;

// Colleagues add switches here; each needs hooks below and a line in the server's handling.
const HARMLESS_LIST = [
  h('slow-answers', 'policy 9: slow answers within the timeout are transport', 'every answer waits 50 ms'),
  h('connection-close', 'policy 9: closed connections are transport', 'Connection: close after every answer'),
  h('chunked-bodies', 'policy 9: chunked answers are transport', 'bodies sent chunked, without Content-Length'),
  h(
    'compressed-bodies',
    'policy 9: content codings the client accepts are transport (RFC 9110 8.4, 12.5.3)',
    'bodies compressed with gzip, deflate or br in turn, among those the request accepts',
  ),
] as const;

export type HarmlessName = (typeof HARMLESS_LIST)[number]['name'];

export const HARMLESS: readonly HarmlessInfo[] = Object.freeze(HARMLESS_LIST.map((x) => Object.freeze({ ...x })));

export const HARMLESS_NAMES: readonly HarmlessName[] = HARMLESS.map((x) => x.name);

export function isHarmlessName(s: string): s is HarmlessName {
  return (HARMLESS_NAMES as readonly string[]).includes(s);
}

/** What the server consults; the defaults describe the plain reference behaviour. */
export interface HarmlessHooks {
  readonly on: ReadonlySet<HarmlessName>;
  /** Milliseconds to wait before writing an answer. */
  readonly answerDelayMs: number;
  readonly connectionClose: boolean;
  readonly chunked: boolean;
  /** The content coding for an answer to a request with this Accept-Encoding, or undefined. */
  encodingFor(acceptEncoding: string | undefined): Coding | undefined;
}

export type Coding = 'gzip' | 'deflate' | 'br';
const CODINGS: readonly Coding[] = ['gzip', 'deflate', 'br'];

/** The codings a request accepts (q > 0), in the server's order. */
export function acceptedCodings(acceptEncoding: string | undefined): Coding[] {
  const q = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const qv = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
    if (name) q.set(name, qv === undefined ? 1 : Number(qv));
  }
  return CODINGS.filter((c) => (q.get(c) ?? (c === 'gzip' ? q.get('x-gzip') : undefined) ?? q.get('*') ?? 0) > 0);
}

export const SLOW_ANSWER_MS = 50;

export function createHarmlessHooks(names: readonly HarmlessName[] = []): HarmlessHooks {
  const unknown = names.filter((n) => !isHarmlessName(n));
  if (unknown.length) throw new Error(`unknown harmless switch: ${unknown.join(', ')}`);
  const on = new Set(names);
  let answers = 0;
  return {
    on,
    answerDelayMs: on.has('slow-answers') ? SLOW_ANSWER_MS : 0,
    connectionClose: on.has('connection-close'),
    chunked: on.has('chunked-bodies'),
    encodingFor(acceptEncoding) {
      if (!on.has('compressed-bodies')) return undefined;
      const accepted = acceptedCodings(acceptEncoding);
      return accepted.length ? accepted[answers++ % accepted.length] : undefined;
    },
  };
}
