// Harmless switches: each one varies ONE behaviour of the reference server in a way the page allows, so
// that the conformance suite can prove it stays fair: a run against a server with any of them on must
// not fail (a warning is fine). Unlike fault switches, several may be on at once. This file holds the
// metadata (HARMLESS) and the small hooks the server consults; the handler asks only these hooks.

import { operation, schemas } from '../schemas/index.ts';
import type { JsonObject } from './channels.ts';
import { policy } from '../schemas/policy.ts';

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
  h('slow-answers', `${policy(9)}: slow answers within the timeout are transport`, 'every answer waits 50 ms'),
  h('connection-close', `${policy(9)}: closed connections are transport`, 'Connection: close after every answer'),
  h('chunked-bodies', `${policy(9)}: chunked answers are transport`, 'bodies sent chunked, without Content-Length'),
  h(
    'compressed-bodies',
    `${policy(9)}: content codings the client accepts are transport (RFC 9110 8.4, 12.5.3)`,
    'bodies compressed with gzip, deflate or br in turn, among those the request accepts',
  ),
  h(
    'json-charset',
    'policy 9: a media-type parameter such as charset=utf-8 names the same media type (RFC 9110 8.3.1, RFC 8259 11)',
    'JSON answers labelled application/json; charset=utf-8 instead of application/json',
  ),
  // What a 201 says, in the words the page allows
  h(
    'entries-reordered',
    `${policy(3)}: the order of entries is not fixed (the page's example answers in another order than it asked)`,
    'the entries of a 201 in reverse order',
  ),
  h(
    'extra-response-fields',
    `${policy(5)}: undocumented response fields are allowed (listed as notes)`,
    'an undocumented field in the 201 body and in every entry',
  ),
  h(
    'minimal-entries',
    `${policy(5)}: only the documented top-level fields and those the SDK model requires must be present`,
    'entries carry only the required fields of Table 5',
  ),
  h(
    'optional-objects-absent',
    `${policy(5)}: optional objects (health check, member groups, members, microservice) may be absent`,
    'entries without their optional objects and lists of objects',
  ),
  h(
    'duplicates-echoed',
    `${policy(3)}: duplicates may get any entry count between distinct and echoed`,
    'one entry per requested instance id, duplicates included',
  ),
  // Refusals the page allows
  h('empty-list-refused', `${policy(3)}: 201 or 400 for an empty instance_ids`, 'an empty instance_ids answered 400'),
  h(
    'duplicates-refused',
    `${policy(3)}: 201 or 400 for duplicated instance ids`,
    'duplicated instance ids answered 400',
  ),
  h(
    'unknown-fields-refused',
    `${policy(3)}: 201 or 400 for an unknown extra request field`,
    'an unknown request field answered 400',
  ),
  h(
    'resync-refused-unforced',
    `${policy(4)}: a 400 to a valid request for state the page does not describe is a warning unless force_sync is true`,
    'a request without force_sync true whose pairs are all synchronized already answered 400',
  ),
  h(
    'other-project-400',
    `${policy(3)}: 400, 401 or 403 for another project's id`,
    "a valid token on another project's path answered 400",
  ),
  h(
    'unknown-among-known-ignored',
    `${policy(3)}: the page does not say what becomes of an id that does not exist among ids that do`,
    'instance ids that do not exist, named among ones that do, are ignored: 201 with the entries of the known ones',
  ),
  h(
    'credentials-after-body',
    `${policy(8)}: Table 2 makes the token Mandatory but the page does not fix whether it is checked before the body`,
    'the body is read and checked (ids looked up) before the credentials: a bad body is answered 400 even without a valid token',
  ),
] as const;

export type HarmlessName = (typeof HARMLESS_LIST)[number]['name'];

export const HARMLESS: readonly HarmlessInfo[] = Object.freeze(HARMLESS_LIST.map((x) => Object.freeze({ ...x })));

export const HARMLESS_NAMES: readonly HarmlessName[] = HARMLESS.map((x) => x.name);

export function isHarmlessName(s: string): s is HarmlessName {
  return (HARMLESS_NAMES as readonly string[]).includes(s);
}

/** A valid request as the server read it, for the refusals the page allows. */
export interface ReadRequest {
  value: Record<string, unknown>; // the body's JSON object
  forced: boolean;
  alreadySynced: boolean; // every (channel, instance) pair it names is synchronized already
}

/** What the server consults; the defaults describe the plain reference behaviour. */
export interface HarmlessHooks {
  readonly on: ReadonlySet<HarmlessName>;
  /** Milliseconds to wait before writing an answer. */
  readonly answerDelayMs: number;
  readonly connectionClose: boolean;
  readonly chunked: boolean;
  /** The status for a valid token on another project's path. */
  readonly otherProjectStatus: 400 | 403;
  /** Why this valid request is refused with 400 as the page allows (policy 3 or 4), or undefined to serve it. */
  refusal(r: ReadRequest): string | undefined;
  /** The entries of a 201 as this server words them; `echoed` are the entries for every requested id, duplicates kept. */
  entries(entries: JsonObject[], echoed: () => JsonObject[]): JsonObject[];
  /** Fields the 201 body carries besides its list. */
  readonly extraBody: JsonObject;
  /** The Content-Type an answer of this media type goes out with. */
  contentType(type: string): string;
  /** The content coding for an answer to a request with this Accept-Encoding, or undefined. */
  encodingFor(acceptEncoding: string | undefined): Coding | undefined;
  readonly credentialsAfterBody: boolean;
  /** Instance ids that do not exist are passed over when the request names known ones too. */
  readonly unknownAmongKnownIgnored: boolean;
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

// Derived from the compiled schemas: the request's documented fields, an entry's required fields and its objects.
const REQUEST_FIELDS = Object.keys(schemas[operation.request.body!].properties ?? {});
const ENTRY = schemas[entrySchemaName()];
const ENTRY_REQUIRED = new Set((ENTRY.required as string[] | undefined) ?? []);
const ENTRY_OBJECTS = Object.entries(
  (ENTRY.properties ?? {}) as Record<string, { $ref?: string; items?: { $ref?: string } }>,
)
  .filter(([name, p]) => !ENTRY_REQUIRED.has(name) && (p.$ref || p.items?.$ref))
  .map(([name]) => name);

/** The schema of one entry of the 201 list (Table 5). */
function entrySchemaName(): string {
  const list = schemas[operation.responses['201']].properties as Record<string, { items?: { $ref?: string } }>;
  const ref = Object.values(list).find((p) => p.items?.$ref)?.items?.$ref;
  if (!ref) throw new Error('the 201 body documents no list of objects');
  return ref.replace('.schema.json', '');
}

const pick = (o: JsonObject, keep: (k: string) => boolean): JsonObject =>
  Object.fromEntries(Object.entries(o).filter(([k]) => keep(k)));

function refusalOf(on: ReadonlySet<HarmlessName>, r: ReadRequest): string | undefined {
  const ids = r.value.instance_ids;
  if (on.has('empty-list-refused') && Array.isArray(ids) && ids.length === 0) return 'instance_ids is empty';
  if (on.has('duplicates-refused') && Array.isArray(ids) && new Set(ids).size < ids.length)
    return 'instance_ids holds duplicates';
  const unknown = Object.keys(r.value).find((k) => !REQUEST_FIELDS.includes(k));
  if (on.has('unknown-fields-refused') && unknown !== undefined) return `unknown field ${unknown}`;
  if (on.has('resync-refused-unforced') && !r.forced && r.alreadySynced) return 'already synchronized';
  return undefined;
}

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
    contentType: (type) => (on.has('json-charset') && type === 'application/json' ? `${type}; charset=utf-8` : type),
    encodingFor(acceptEncoding) {
      if (!on.has('compressed-bodies')) return undefined;
      const accepted = acceptedCodings(acceptEncoding);
      return accepted.length ? accepted[answers++ % accepted.length] : undefined;
    },
    otherProjectStatus: on.has('other-project-400') ? 400 : 403,
    refusal: (r) => refusalOf(on, r),
    entries(entries, echoed) {
      let out = on.has('duplicates-echoed') ? echoed() : entries;
      if (on.has('entries-reordered')) out = [...out].reverse();
      if (on.has('minimal-entries')) out = out.map((e) => pick(e, (k) => ENTRY_REQUIRED.has(k)));
      if (on.has('optional-objects-absent')) out = out.map((e) => pick(e, (k) => !ENTRY_OBJECTS.includes(k)));
      if (on.has('extra-response-fields')) out = out.map((e) => ({ ...e, x_sync_source: 'reference' }));
      return out;
    },
    extraBody: on.has('extra-response-fields') ? { request_id: 'ref-request-0001' } : {},
    credentialsAfterBody: on.has('credentials-after-body'),
    unknownAmongKnownIgnored: on.has('unknown-among-known-ignored'),
  };
}
