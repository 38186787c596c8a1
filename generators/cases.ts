// The cases of a run, as data: what to send, which rule it exercises, which statuses are expected
// and why. Built from the compiled schemas and the registry; the same seed gives the same list.

import { operation, rules, rule, schemas } from '../schemas/index.ts';
import { caseSeed, fakerFor, idThatDoesNotExist, type Faker } from './seed.ts';
import { validValue } from './values.ts';
import { breakRule, variantsOf, type Mutation } from './mutations.ts';
import { COMMON, CREATED, DOCUMENTED_4XX as documented4xx, JSON_CT, SYNC, needsOf } from './case-parts.ts';
import { addFamilies } from './families.ts';
import { policy } from '../schemas/policy.ts';

export type SuiteName = 'positive' | 'negative' | 'auth' | 'robustness';
export type CaseKind = 'valid' | 'schema-invalid' | 'wire-invalid' | 'not-found' | 'auth' | 'stress';
export type Need = 'vpcChannelId' | 'instanceIds' | 'forbiddenToken';
/**
 * What a conformant server does with a case: carries it out as a sync (`sync`: 201 is the only answer), may carry
 * it out (`maybe`: the page allows 201 or a refusal), or must refuse it (`none`: no 2xx is allowed).
 */
export type Effect = 'sync' | 'maybe' | 'none';
/**
 * What a conformant server that carries a case out would synchronize: nothing (it must refuse the case, or every
 * channel or every instance the body names does not exist), only what the body names, or `all`: channels or
 * instances the body does not name (a field left out, or an empty `instance_ids`, read the page's "all" way).
 */
export type Reach = 'none' | 'named' | 'all';

/** Header names as the page writes them (absent), or in another letter case (RFC 9110: names are case-insensitive). */
export type HeaderNames = 'lower' | 'upper';

/**
 * One request of a case that holds several. Every request of a case carries the case's JSON value, its
 * credentials and its path: a step changes only the bytes of the body and the headers, so that the
 * effect, the needs and the expectations of the case hold for each of its requests.
 */
export interface CaseStep {
  /** Names the exchange in records, reports and failure texts ("first", "again", "pretty-printed"). */
  label: string;
  /** The body's bytes, when they are not JSON.stringify of the case's value (the same value in other bytes). */
  text?: string;
  /** Overrides the case's Content-Type (null: none). */
  contentType?: string | null;
  headerNames?: HeaderNames;
}

export interface Case {
  id: string;
  /** The family the case belongs to, a prefix of its id ("positive.equivalent"); --list-cases groups by it. */
  family: string;
  suite: SuiteName;
  kind: CaseKind;
  description: string;
  ruleId: string;
  seed: number;
  /** tampered and skewed exist only with AK/SK credentials: a body changed after signing, a date a day away. */
  auth: 'valid' | 'none' | 'unknown' | 'malformed' | 'forbidden' | 'tampered' | 'skewed';
  token?: string; // the literal token of unknown/malformed cases (generated, not a secret)
  projectId?: string; // another project's id; absent = the configured project
  body: { json: unknown } | { raw: string };
  contentType: string | null;
  expect: { statuses: number[]; why: string };
  effect: Effect;
  reach: Reach;
  checks: string[];
  /** The real ids or credentials without which the case means nothing (it is then skipped). */
  needs: Need[];
  /** The body names ids made up because no real ones were given: well-formed, and they do not exist. */
  madeUpIds?: true;
  /** Instance ids made up not to exist, named among known ones: a 201 may pass over them, never answer for them. */
  unknownAmongKnown?: string[];
  /** JSON cases check themselves against the request schema before they are sent. */
  selfCheck?: 'valid' | 'invalid';
  mutation?: Mutation;
  /**
   * The requests of the case, in order, each judged on its answer; absent for a case of one request.
   * A case is the unit of a run: its requests are sent one after the other, never interleaved with
   * another case's, and a request after one that got no judgeable answer is not sent.
   */
  requests?: CaseStep[];
}

export { requestsOf } from './steps.ts';

export interface CaseContext {
  seed: number;
  vpcChannelIds: string[]; // known channels (the first is the one the request-building cases use)
  instanceIds: string[];
  hasForbiddenToken: boolean;
  stressRepeats?: number; // extra valid cases, for benchmarks (--repeat)
  examples?: number; // seeded variants per family (--examples): family.variant-0 ... variant-(N-1)
  /** How the run authenticates: the auth cases are worded per mode, and AK/SK adds the signing cases. */
  authMode?: AuthMode;
  /** --no-sync: refused bodies that a lenient server would read as "all" name made-up ids instead. */
  noSync?: boolean;
}

export type AuthMode = 'token' | 'iam' | 'aksk';

// The auth cases' words per credential mode (IAM mode sends a token, as token mode does).
const AUTH_WORDS = {
  token: {
    none: 'Table 2 X-Auth-Token: no token at all',
    unknown: 'Table 2 X-Auth-Token: a well-formed token the target does not know',
    malformed: 'Table 2 X-Auth-Token: a malformed token of printable ASCII punctuation',
    forbidden: 'Table 2 X-Auth-Token: a valid token without permission',
    other: "Table 1 project_id: the token used on another project's path",
  },
  aksk: {
    none: 'AK/SK: an unsigned request (no Authorization, no X-Sdk-Date)',
    unknown: 'AK/SK: a well-formed signature by an access key the target does not know',
    malformed: 'AK/SK: a garbage Authorization header of printable ASCII punctuation',
    forbidden: 'AK/SK: a good signature by a key pair without permission',
    other: "Table 1 project_id: a good signature on another project's path",
  },
};

const BODY = operation.request.body!;

export { idThatDoesNotExist } from './seed.ts';

/** A case before what follows from its id, its expected statuses and its body: seed, effect, reach, made-up ids. */
export type CaseDraft = Omit<Case, 'seed' | 'effect' | 'reach' | 'madeUpIds'>;

/** What a case family is built from: the known ids (made-up ones when none are given) and where cases go. */
export interface CaseKit {
  ctx: CaseContext;
  channels: string[]; // known channels; one made-up id when none
  instances: string[]; // known instances; two made-up ids when none
  /** The case's own faker: seeded by the run seed and the case id. */
  faker(caseId: string): Faker;
  add(draft: CaseDraft): void;
}

export function buildCases(ctx: CaseContext): Case[] {
  // Without real ids, cases that need none (negative, auth) name made-up ones that do not exist.
  const standIns = {
    channel: idThatDoesNotExist(ctx.seed, 'made-up.vpc-channel-id'),
    instances: [1, 2].map((k) => idThatDoesNotExist(ctx.seed, `made-up.instance-id.${k}`)),
  };
  const channels = ctx.vpcChannelIds.length ? ctx.vpcChannelIds : [standIns.channel];
  const [channel] = channels;
  const instances = ctx.instanceIds.length ? ctx.instanceIds : standIns.instances;
  const madeUp = new Set([standIns.channel, ...standIns.instances]);
  // Stand-ins count as known: a case that needs real ids reaches, once given them, what its stand-ins reach.
  const known = { channels: new Set(channels), instances: new Set(instances) };
  const cases: Case[] = [];
  const add = (draft: CaseDraft) => {
    const effect = effectOf(draft.expect.statuses);
    const c = ctx.noSync && effect === 'none' ? withoutLenientReach(draft, known, standIns) : draft;
    const json = 'json' in c.body ? c.body.json : undefined;
    cases.push({
      ...c,
      effect,
      reach: reachOf(effect, json, known),
      ...(namedIds(json).some((id) => madeUp.has(id)) ? { madeUpIds: true as const } : {}),
      seed: caseSeed(ctx.seed, c.id),
    });
  };

  // --- positive: every combination of present/absent optional fields, force_sync true/false/absent.
  const valid = (
    id: string,
    body: Record<string, unknown>,
    description: string,
    ruleId = body.force_sync === true ? 'table3.force_sync.must_succeed' : 'status_codes.success_201',
    extra: Partial<Case> = {},
  ) =>
    add({
      id,
      family: 'positive.fields',
      suite: 'positive',
      kind: 'valid',
      description,
      ruleId,
      auth: 'valid',
      body: { json: body },
      contentType: JSON_CT,
      expect: {
        statuses: [CREATED],
        why: `Status code: 201 (success); a 400 to a valid request is a warning unless force_sync is true (${policy(4)})`,
      },
      checks: [...COMMON, 'positive_data_acceptance', ...SYNC],
      needs: needsOf(body),
      selfCheck: 'valid',
      ...extra,
    });
  for (const withChannel of [false, true]) {
    for (const withInstances of [false, true]) {
      for (const force of ['absent', 'true', 'false'] as const) {
        const body: Record<string, unknown> = {};
        if (withChannel) body.vpc_channel_id = channel;
        if (withInstances) body.instance_ids = instances.slice(0, 2);
        if (force !== 'absent') body.force_sync = force === 'true';
        valid(
          `positive.fields.channel-${withChannel ? 'yes' : 'no'}.instances-${withInstances ? 'yes' : 'no'}.force-${force}`,
          body,
          `Table 3 optional fields: vpc_channel_id ${withChannel ? 'present' : 'absent'}, instance_ids ${withInstances ? 'present' : 'absent'}, force_sync ${force}`,
        );
      }
    }
  }
  for (const [i, id] of ctx.vpcChannelIds.slice(1).entries()) {
    valid(
      `positive.channel-${i + 2}.force-true`,
      { vpc_channel_id: id, instance_ids: instances, force_sync: true },
      `Forced sync of known channel #${i + 2} to every known instance`,
      undefined,
      { family: 'positive.channel' },
    );
  }
  // Repeats: the same forced request twice; "already synchronized" is no excuse for the second (policy 4).
  valid(
    'positive.forced-twice',
    { vpc_channel_id: channel, instance_ids: [...instances].reverse(), force_sync: true },
    'The same forced request twice in a row: both answers must succeed',
    'table3.force_sync.must_succeed',
    { family: 'positive.forced-twice', requests: [{ label: 'first' }, { label: 'again' }] },
  );
  for (let k = 0; k < (ctx.stressRepeats ?? 0); k++) {
    const f = fakerFor(caseSeed(ctx.seed, `repeat.${k}`));
    const body = {
      vpc_channel_id: f.helpers.arrayElement(ctx.vpcChannelIds.length ? ctx.vpcChannelIds : [channel]),
      instance_ids: f.helpers.arrayElements(instances, { min: 1, max: instances.length }),
      force_sync: f.datatype.boolean(),
    };
    valid(
      `positive.repeat.${String(k).padStart(5, '0')}`,
      body,
      'Repetition of a valid request with seeded values (stress knob)',
      undefined,
      { family: 'positive.repeat' },
    );
  }

  // --- negative: each case breaks exactly one rule of the request schema (Table 3), in every variant.
  const base = { vpc_channel_id: channel, instance_ids: instances.slice(0, 2), force_sync: true };
  for (const r of rules.filter((x) => x.table === rule(`${tableIdOf(BODY)}.body.type`).table && x.kind === 'schema')) {
    for (const variant of variantsOf(r)) {
      const id = `negative.${r.id}.${variant}`;
      const broken = breakRule(BODY, base, r.id, fakerFor(caseSeed(ctx.seed, id)), variant);
      if (!broken) continue;
      add({
        id,
        family: 'negative.table3',
        suite: 'negative',
        kind: 'schema-invalid',
        description: `${r.table} ${r.parameter}: ${variant} at ${broken.mutation.pointer || '(body)'} (${JSON.stringify(broken.mutation.original)} -> ${JSON.stringify(broken.mutation.mutated)})`,
        ruleId: r.id,
        auth: 'valid',
        body: { json: broken.instance },
        contentType: JSON_CT,
        expect: {
          statuses: [400],
          why: `Status code: 400 Bad Request; a request that breaks a documented constraint must be rejected (${policy(6)})`,
        },
        checks: [...COMMON, 'negative_data_rejection'],
        needs: [], // a broken body is refused whether its ids exist or not
        selfCheck: 'invalid',
        mutation: broken.mutation,
      });
    }
  }
  // Wire-invalid bodies: ajv cannot read them, so they are invalid by construction.
  const wire: [string, string, string | null, string][] = [
    ['malformed-json', '{"vpc_channel_id": "04be10fd", "instance_ids": [', JSON_CT, 'malformed JSON (truncated)'],
    ['empty-body', '', JSON_CT, 'an empty body with Content-Type application/json'],
    ['not-json-text', 'vpc_channel_id=04be10fd', JSON_CT, 'a form-encoded string labelled as JSON'],
    ['trailing-garbage', '{"force_sync": true} trailing', JSON_CT, 'a JSON object followed by garbage'],
  ];
  for (const [name, raw, ct, what] of wire) {
    add({
      id: `negative.wire.${name}`,
      family: 'negative.wire',
      suite: 'negative',
      kind: 'wire-invalid',
      description: `Table 3 body: ${what}`,
      ruleId: `${tableIdOf(BODY)}.body.type`,
      auth: 'valid',
      body: { raw },
      contentType: ct,
      expect: {
        statuses: [400],
        why: `Status code: 400 Bad Request; a body that is not a JSON object breaks Table 3 (${policy(6)})`,
      },
      checks: [...COMMON, 'negative_data_rejection'],
      needs: [],
    });
  }
  // Not found: well-formed ids that do not exist.
  const unknownId = (id: string) =>
    fakerFor(caseSeed(ctx.seed, id)).string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });
  const notFound = (id: string, ruleId: string, body: Record<string, unknown>, what: string) =>
    add({
      id,
      family: 'negative.not-found',
      suite: 'negative',
      kind: 'not-found',
      description: what,
      ruleId,
      auth: 'valid',
      body: { json: body },
      contentType: JSON_CT,
      expect: {
        statuses: documented4xx,
        why: `a documented 4xx (${documented4xx.join('/')}) with a valid error body; the page does not say which (${policy(3)})`,
      },
      checks: [...COMMON, 'negative_data_rejection'],
      needs: [], // ids that do not exist are refused whatever the other ids are
      selfCheck: 'valid',
    });
  notFound(
    'negative.not-found.channel',
    'table3.vpc_channel_id.known',
    { vpc_channel_id: unknownId('negative.not-found.channel'), instance_ids: instances.slice(0, 1) },
    'Table 3 vpc_channel_id: a well-formed channel id that does not exist',
  );
  notFound(
    'negative.not-found.instance',
    'table3.instance_ids.known',
    { vpc_channel_id: channel, instance_ids: [unknownId('negative.not-found.instance')] },
    'Table 3 instance_ids: a well-formed instance id that does not exist',
  );

  // --- auth
  const authBody = { vpc_channel_id: channel, instance_ids: instances.slice(0, 1) };
  const auth = (
    id: string,
    a: Case['auth'],
    statuses: number[],
    ruleId: string,
    description: string,
    extra: Partial<Case> = {},
  ) =>
    add({
      id,
      family: 'auth',
      suite: 'auth',
      kind: 'auth',
      description,
      ruleId,
      auth: a,
      body: { json: authBody },
      contentType: JSON_CT,
      expect: { statuses, why: rule(ruleId).text },
      checks: [...COMMON, 'ignored_auth', 'auth_status_conformance'],
      // Credentials come before the body (policy 8): an auth case means as much with made-up ids.
      needs: a === 'forbidden' ? ['forbiddenToken'] : [],
      selfCheck: 'valid',
      ...extra,
    });
  const words = AUTH_WORDS[ctx.authMode === 'aksk' ? 'aksk' : 'token'];
  auth('auth.missing-token', 'none', [401], 'auth.missing_or_unknown_token_401', words.none);
  auth('auth.unknown-token', 'unknown', [401], 'auth.missing_or_unknown_token_401', words.unknown, {
    token: `MII${fakerFor(caseSeed(ctx.seed, 'auth.unknown-token')).string.alphanumeric(120)}`,
  });
  auth('auth.malformed-token', 'malformed', [401], 'auth.missing_or_unknown_token_401', words.malformed, {
    token: `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~ ${fakerFor(caseSeed(ctx.seed, 'auth.malformed-token')).string.symbol(16)}`,
  });
  auth('auth.forbidden-token', 'forbidden', [403], 'auth.no_permission_403', words.forbidden);
  auth('auth.other-project', 'valid', documented4xx, 'auth.other_project_rejected', words.other, {
    projectId: unknownId('auth.other-project'),
  });
  if (ctx.authMode === 'aksk') {
    // Only signing can tell these apart from a good request; their rules rest on the vendor's scheme.
    auth(
      'auth.aksk.tampered-body',
      'tampered',
      [401],
      'auth.aksk.body_tampered_401',
      'AK/SK: the body changed after signing',
    );
    auth(
      'auth.aksk.skewed-date',
      'skewed',
      [401],
      'auth.aksk.date_skew_401',
      'AK/SK: signed with an X-Sdk-Date a day ahead',
    );
  }

  // --- robustness: valid but large, odd or unknown; any documented answer, never a 5xx.
  const stress = (
    id: string,
    body: unknown,
    description: string,
    statuses: number[],
    extraChecks: string[] = [],
    needs: Need[] = [],
  ) => {
    const raw = typeof body === 'string';
    add({
      id,
      family: 'robustness',
      suite: 'robustness',
      kind: 'stress',
      description,
      ruleId: 'status_codes.not_a_server_error',
      auth: 'valid',
      body: raw ? { raw: body } : { json: body },
      contentType: JSON_CT,
      expect: { statuses, why: `no 5xx; any documented status the page allows for it (${policy(3)})` },
      checks: [...COMMON, ...extraChecks],
      needs,
      selfCheck: raw ? undefined : 'valid',
    });
  };
  const sf = (id: string) => fakerFor(caseSeed(ctx.seed, id));
  const ids1000 = Array.from({ length: 1000 }, (_, i) =>
    i < instances.length
      ? instances[i]
      : sf(`robustness.ids-${i}`).string.hexadecimal({ length: 32, casing: 'lower', prefix: '' }),
  );
  stress(
    'robustness.instance-ids-1000',
    { vpc_channel_id: channel, instance_ids: ids1000 },
    'Table 3 instance_ids: 1,000 well-formed ids',
    [CREATED, 400],
    SYNC,
    ['vpcChannelId'],
  );
  stress(
    'robustness.channel-id-64kib',
    { vpc_channel_id: 'a'.repeat(64 * 1024) },
    'Table 3 vpc_channel_id: a 64 KiB string',
    [CREATED, 400],
  );
  stress(
    'robustness.unicode-ids',
    { vpc_channel_id: `通道-ü-🙂-${sf('robustness.unicode-ids').string.alphanumeric(8)}`, instance_ids: ['实例-é-🚀'] },
    'Table 3: unicode (CJK, accents, astral plane) in the ids',
    [CREATED, 400],
  );
  stress(
    'robustness.unknown-fields',
    { ...authBody, force_sync: false, unexpected_field: 'x', nested: { deep: [1, 2, 3] } },
    `Table 3: unknown extra fields (201 or 400 both acceptable, ${policy(3)})`,
    [CREATED, 400],
    SYNC,
    needsOf(authBody),
  );
  stress(
    'robustness.empty-instance-ids',
    { vpc_channel_id: channel, instance_ids: [] },
    `Table 3 instance_ids: an empty list (201 or 400, ${policy(3)})`,
    [CREATED, 400],
    SYNC,
    ['vpcChannelId'],
  );
  stress(
    'robustness.duplicate-instance-ids',
    { vpc_channel_id: channel, instance_ids: [instances[0], instances[0], instances[0]], force_sync: true },
    `Table 3 instance_ids: the same id three times (201 or 400; entries between distinct and echoed, ${policy(3)})`,
    [CREATED, 400],
    SYNC,
    ['vpcChannelId', 'instanceIds'],
  );
  stress(
    'robustness.binary-garbage',
    Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 151 + 7) % 256)).toString('latin1'),
    'A body of binary garbage labelled as JSON',
    [400],
  );
  stress('robustness.deep-nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'A 5,000-level nested JSON array', [400]);

  addFamilies({
    ctx,
    channels,
    instances,
    faker: (id) => fakerFor(caseSeed(ctx.seed, id)),
    add,
  });
  return cases.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The ids a JSON body names, at the places the page gives ids (Table 3): the channel and the instances. */
function namedIds(body: unknown): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const { vpc_channel_id: ch, instance_ids: ins } = body as Record<string, unknown>;
  return [
    ...(typeof ch === 'string' ? [ch] : []),
    ...(Array.isArray(ins) ? ins.filter((i) => typeof i === 'string') : []),
  ];
}

/** A body as a lenient server reads it: a field of the wrong type (or null) is ignored, as if absent. */
function leniently(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  if (out.vpc_channel_id !== undefined && typeof out.vpc_channel_id !== 'string') delete out.vpc_channel_id;
  const ins = out.instance_ids;
  if (ins !== undefined && !(Array.isArray(ins) && ins.every((i) => typeof i === 'string'))) delete out.instance_ids;
  return out;
}

/**
 * --no-sync: a body a conformant server refuses, but a lenient one would read as "all" (a wrong-typed id field
 * ignored), names made-up ids in an id field it keeps, so that even a lenient server has nothing to act on.
 */
function withoutLenientReach(
  c: CaseDraft,
  known: { channels: ReadonlySet<string>; instances: ReadonlySet<string> },
  standIns: { channel: string; instances: string[] },
): CaseDraft {
  if (!('json' in c.body) || !c.body.json || typeof c.body.json !== 'object' || Array.isArray(c.body.json)) return c;
  const body = c.body.json as Record<string, unknown>;
  const lenient = leniently(body);
  if (reachOf('sync', lenient, known) !== 'all') return c;
  const out = { ...body };
  if (!('vpc_channel_id' in body) || 'vpc_channel_id' in lenient) out.vpc_channel_id = standIns.channel;
  else if (!('instance_ids' in body) || 'instance_ids' in lenient) out.instance_ids = standIns.instances;
  else throw new Error(`case ${c.id}: both id fields are ignored by a lenient reading; --no-sync cannot make it safe`);
  return { ...c, body: { json: out }, description: `${c.description} (--no-sync: the other id made up)` };
}

/** Read the way a conformant server carries a body out: an absent field (or an empty list) is "all". */
export function reachOf(
  effect: Effect,
  body: unknown,
  known: { channels: ReadonlySet<string>; instances: ReadonlySet<string> },
): Reach {
  if (effect === 'none' || !body || typeof body !== 'object' || Array.isArray(body)) return 'none';
  const { vpc_channel_id: ch, instance_ids: ins } = body as Record<string, unknown>;
  const channels = ch === undefined ? 'all' : typeof ch === 'string' && known.channels.has(ch) ? 'named' : 'none';
  const instances =
    ins === undefined || (Array.isArray(ins) && ins.length === 0)
      ? 'all'
      : Array.isArray(ins) && ins.some((i) => typeof i === 'string' && known.instances.has(i))
        ? 'named'
        : 'none';
  if (channels === 'none' || instances === 'none') return 'none';
  return channels === 'all' || instances === 'all' ? 'all' : 'named';
}

/** The effect follows from the answers a conformant server may give: the page's success is 201. */
export function effectOf(statuses: readonly number[]): Effect {
  const success = statuses.filter((s) => s >= 200 && s < 300);
  if (success.length === 0) return 'none';
  return success.length === statuses.length ? 'sync' : 'maybe';
}

/** A --case pattern: a case id, where `*` stands for any run of characters ("negative.table3.force_sync.*"). */
export function caseMatcher(patterns: readonly string[]): (id: string) => boolean {
  const res = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
  return (id) => res.some((re) => re.test(id));
}

/** The cases of a run: all of them, or only those matching the ids or patterns asked for (--case). */
export function selectCases(ctx: CaseContext, caseIds?: readonly string[]): Case[] {
  const all = buildCases(ctx);
  if (!caseIds?.length) return all;
  const wanted = caseMatcher(caseIds);
  return all.filter((c) => wanted(c.id));
}

function tableIdOf(schemaName: string): string {
  return String((schemas[schemaName]['x-doc'] as { id: string }).id).split('.')[0];
}

/** A valid instance of any generated schema (used by unit tests to stand in for a server's answer). */
export function validInstanceOf(schemaName: string, seed: number): unknown {
  return validValue(schemas[schemaName] as Parameters<typeof validValue>[0], '(body)', fakerFor(seed), {
    optional: 'all',
  });
}
