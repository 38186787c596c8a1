// The case families that look past the one value someone thought of: the same request in other wire
// forms, wrong-typed values a lenient parser coerces, semantic variety (one, three and all instances,
// subsets in other orders, duplicates among distinct ids, each channel without instance_ids), and the
// seeded variants of each family that --examples N adds (ids family.variant-k, one seed each).

import { operation, rules, schemas, type RuleEntry } from '../schemas/index.ts';
import { COMMON, EXPECT, JSON_CT, SYNC, needsOf } from './case-parts.ts';
import type { CaseDraft, CaseKit, CaseStep } from './cases.ts';
import { coercionsOf, elementCoercionsOf, type Coercion } from './coercions.ts';
import type { Mutation } from './mutations.ts';
import type { Faker } from './seed.ts';
import { resolve } from './values.ts';
import { WIRE_FORMS, type WireForm } from './wire-forms.ts';
import { policy } from '../schemas/policy.ts';

type Body = Record<string, unknown>;

/** Every family, with what its cases vary: --list-cases shows them. */
export const FAMILIES: Record<string, string> = {
  'positive.fields': 'each combination of the optional Table 3 fields',
  'positive.channel': 'a forced sync of each further known channel to every known instance',
  'positive.equivalent': 'the same forced request in other bytes (RFC 8259) or headers (RFC 9110): the same entries',
  'positive.variety': 'forced syncs of one, three and all instances, subsets in other orders, each channel alone',
  'positive.forced-twice': 'the same forced request twice in a row: both must succeed',
  'positive.repeat': 'seeded repetitions of a valid request (--repeat)',
  'negative.table3': 'each Table 3 rule broken in each way',
  'negative.coercible': 'wrong-typed values a lenient parser coerces, the other fields real',
  'negative.wire': 'bodies that are not one JSON object',
  'negative.not-found': 'well-formed ids that do not exist',
  auth: 'missing, unknown, malformed and forbidden tokens; another project',
  robustness: 'large, odd or unknown input: any documented answer, never a 5xx',
  'robustness.duplicates': `duplicates among distinct ids (201 or 400, ${policy(3)})`,
  'robustness.unicode': `unicode ids (201 or 400, ${policy(3)})`,
};

const BODY_SCHEMA = schemas[operation.request.body!];
const BODY_TABLE = (BODY_SCHEMA['x-doc'] as { table: string }).table;

/** A forced sync, which must succeed (policy 4): "already synchronized" is no excuse. */
function forced(
  kit: CaseKit,
  id: string,
  family: string,
  body: Body,
  description: string,
  extra: Partial<CaseDraft> = {},
) {
  kit.add({
    id,
    family,
    suite: 'positive',
    kind: 'valid',
    description,
    ruleId: 'table3.force_sync.must_succeed',
    auth: 'valid',
    body: { json: body },
    contentType: JSON_CT,
    expect: EXPECT.created,
    checks: [...COMMON, 'positive_data_acceptance', ...SYNC],
    needs: needsOf(body),
    selfCheck: 'valid',
    ...extra,
  });
}

/** A forced request, then the same in another form: judged on both, and the second against the first. */
function equivalent(kit: CaseKit, id: string, body: Body, form: WireForm, step: CaseStep, description: string) {
  forced(kit, id, 'positive.equivalent', body, description, {
    ruleId: form.rule,
    checks: [...COMMON, 'positive_data_acceptance', ...SYNC, 'equivalent_form_conformance'],
    requests: [{ label: 'canonical' }, step],
  });
}

function allowed(
  kit: CaseKit,
  id: string,
  family: string,
  body: Body,
  description: string,
  ruleId: string,
  needs = needsOf(body),
) {
  kit.add({
    id,
    family,
    suite: 'robustness',
    kind: 'stress',
    description,
    ruleId,
    auth: 'valid',
    body: { json: body },
    contentType: JSON_CT,
    expect: EXPECT.createdOrRejected,
    checks: [...COMMON, ...SYNC],
    needs,
    selfCheck: 'valid',
  });
}

// --- equivalent wire forms -------------------------------------------------------------------------

function equivalentForms(kit: CaseKit): void {
  const body = { vpc_channel_id: kit.channels[0], instance_ids: kit.instances.slice(0, 2), force_sync: true };
  for (const form of WIRE_FORMS)
    equivalent(
      kit,
      `positive.equivalent.${form.name}`,
      body,
      form,
      form.step(body),
      `The example request, forced, then ${form.what}`,
    );
}

// --- coercible negatives ---------------------------------------------------------------------------

/** The type rules of the request body's fields (the body's own type is the wire family's). */
const TYPE_RULES = rules.filter(
  (r) => r.table === BODY_TABLE && r.kind === 'schema' && r.keyword === 'type' && r.parameter !== '(body)',
);

/** What a lenient parser coerces for this rule, from the field's schema type and its real value in `body`. */
function coercionsFor(r: RuleEntry, body: Body): Coercion[] {
  const name = r.parameter.replace(/\[\]$/, '');
  const props = (BODY_SCHEMA.properties ?? {}) as Record<string, Parameters<typeof resolve>[0]>;
  const prop = props[name];
  if (!prop || body[name] === undefined) return [];
  return r.parameter.endsWith('[]') ? elementCoercionsOf(body[name]) : coercionsOf(resolve(prop).type, body[name]);
}

function coercible(kit: CaseKit, id: string, r: RuleEntry, body: Body, c: Coercion): void {
  const name = r.parameter.replace(/\[\]$/, '');
  const mutation: Mutation = {
    ruleId: r.id,
    pointer: `/${name}`,
    keyword: 'type',
    original: body[name],
    mutated: c.value,
    variant: c.variant,
  };
  kit.add({
    id,
    family: 'negative.coercible',
    suite: 'negative',
    kind: 'schema-invalid',
    description: `${r.table} ${r.parameter}: ${JSON.stringify(body[name])} sent as ${JSON.stringify(c.value)} (${c.variant}), which a lenient parser coerces and acts on`,
    ruleId: r.id,
    auth: 'valid',
    body: { json: { ...body, [name]: c.value } },
    contentType: JSON_CT,
    expect: EXPECT.rejected,
    checks: [...COMMON, 'negative_data_rejection'],
    // Only real ids make a coercing server act, and so show; without them the case means nothing.
    needs: ['vpcChannelId', 'instanceIds'],
    selfCheck: 'invalid',
    mutation,
  });
}

function coercibleNegatives(kit: CaseKit): void {
  const body = { vpc_channel_id: kit.channels[0], instance_ids: kit.instances.slice(0, 2), force_sync: true };
  for (const r of TYPE_RULES)
    for (const c of coercionsFor(r, body)) coercible(kit, `negative.coercible.${r.id}.${c.variant}`, r, body, c);
}

// --- semantic variety ------------------------------------------------------------------------------

function semanticVariety(kit: CaseKit): void {
  const [channel] = kit.channels;
  const all = kit.instances;
  const n = all.length;
  // Two instances are the page's example request (positive.fields.*.instances-yes).
  const sets: [string, string[], string][] = [];
  for (const k of [1, 3]) if (k < n) sets.push([`instances-${k}`, all.slice(0, k), `the first ${k} known instance(s)`]);
  sets.push(['instances-all', all, `all ${n} known instance(s)`]);
  if (n >= 2) sets.push(['rotated', [...all.slice(1), all[0]], 'every known instance, the first one last']);
  if (n >= 3)
    sets.push(['subset-reordered', [all[n - 1], all[0]], 'the last and the first known instance, in that order']);
  for (const [name, ids, what] of sets)
    forced(
      kit,
      `positive.variety.${name}`,
      'positive.variety',
      { vpc_channel_id: channel, instance_ids: ids, force_sync: true },
      `Forced sync of known channel #1 to ${what}`,
    );
  for (const [i, ch] of kit.channels.entries()) {
    const body = { vpc_channel_id: ch, force_sync: true };
    forced(
      kit,
      `positive.variety.channel-${i + 1}.no-instances`,
      'positive.variety',
      body,
      `Forced sync of known channel #${i + 1} without instance_ids`,
    );
  }
}

function duplicatesAmongDistinct(kit: CaseKit): void {
  const [channel] = kit.channels;
  const all = kit.instances;
  if (all.length < 2) return;
  const dup = (name: string, ids: string[], what: string) =>
    allowed(
      kit,
      `robustness.duplicates.${name}`,
      'robustness.duplicates',
      { vpc_channel_id: channel, instance_ids: ids, force_sync: true },
      `Table 3 instance_ids: ${what} (201 or 400; entries between distinct and echoed, ${policy(3)})`,
      'function.sync.requested_instances_only',
    );
  dup('among-distinct', [all[0], all[1], all[0]], 'a duplicate among distinct ids');
  dup('each-twice', [...all, ...all], 'every known id twice');
}

// --- seeded variants (--examples) ------------------------------------------------------------------

const hexId = (f: Faker) => f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });
const someOf = (f: Faker, ids: string[]) =>
  f.helpers.shuffle(f.helpers.arrayElements(ids, { min: 1, max: ids.length }));
const forcedBody = (kit: CaseKit, f: Faker): Body => ({
  vpc_channel_id: f.helpers.arrayElement(kit.channels),
  instance_ids: someOf(f, kit.instances),
  force_sync: true,
});

/** Unicode text from scripts a server may mishandle: CJK, accents, Cyrillic, Arabic, combining marks, emoji. */
const RANGES: [number, number][] = [
  [0x4e00, 0x9fa5],
  [0x00c0, 0x00ff],
  [0x0400, 0x04ff],
  [0x0600, 0x06ff],
  [0x0300, 0x036f],
  [0x1f300, 0x1f5ff],
];
const unicodeText = (f: Faker) =>
  Array.from({ length: f.number.int({ min: 4, max: 24 }) }, () => {
    const [lo, hi] = f.helpers.arrayElement(RANGES);
    return String.fromCodePoint(f.number.int({ min: lo, max: hi }));
  }).join('');

const VARIANTS: Record<string, (kit: CaseKit, id: string, f: Faker) => void> = {
  'positive.equivalent': (kit, id, f) => {
    const form = f.helpers.arrayElement(WIRE_FORMS);
    const body = forcedBody(kit, f);
    equivalent(kit, id, body, form, form.step(body, f), `A seeded forced request, then ${form.what} (seeded)`);
  },
  'positive.variety': (kit, id, f) =>
    forced(
      kit,
      id,
      'positive.variety',
      forcedBody(kit, f),
      'A forced sync of a seeded channel to a seeded subset of instances in a seeded order',
    ),
  'positive.forced-twice': (kit, id, f) =>
    forced(
      kit,
      id,
      'positive.forced-twice',
      forcedBody(kit, f),
      'A seeded forced request twice in a row: both must succeed',
      {
        requests: [{ label: 'first' }, { label: 'again' }],
      },
    ),
  'negative.coercible': (kit, id, f) => {
    const body = forcedBody(kit, f);
    const r = f.helpers.arrayElement(TYPE_RULES.filter((x) => coercionsFor(x, body).length));
    coercible(kit, id, r, body, f.helpers.arrayElement(coercionsFor(r, body)));
  },
  'negative.not-found': (kit, id, f) => {
    const unknownChannel = f.datatype.boolean();
    const ids = someOf(f, kit.instances);
    const unknown = hexId(f);
    if (!unknownChannel) ids.splice(f.number.int({ min: 0, max: ids.length }), 0, unknown);
    const body = {
      vpc_channel_id: unknownChannel ? hexId(f) : f.helpers.arrayElement(kit.channels),
      instance_ids: ids,
      force_sync: f.datatype.boolean(),
    };
    const common = { id, family: 'negative.not-found', suite: 'negative', kind: 'not-found', auth: 'valid' } as const;
    const sent = { body: { json: body }, contentType: JSON_CT, needs: needsOf(body), selfCheck: 'valid' } as const;
    if (unknownChannel)
      return kit.add({
        ...common,
        ...sent,
        description: 'Table 3 vpc_channel_id: a seeded channel id that does not exist, with real instances',
        ruleId: 'table3.vpc_channel_id.known',
        expect: EXPECT.notFound,
        checks: [...COMMON, 'negative_data_rejection'],
      });
    // An unknown id among known ones: the page does not say whether the known ones are synchronized (policy 3).
    kit.add({
      ...common,
      ...sent,
      description: `Table 3 instance_ids: a seeded instance id that does not exist among real ones (a 4xx, or 201 for the real ones only, ${policy(3)})`,
      ruleId: 'table3.instance_ids.known',
      expect: EXPECT.unknownAmongKnown,
      checks: [...COMMON, ...SYNC],
      unknownAmongKnown: [unknown],
    });
  },
  'robustness.duplicates': (kit, id, f) => {
    const ids = someOf(f, kit.instances);
    for (let i = f.number.int({ min: 1, max: 3 }); i > 0; i--)
      ids.splice(f.number.int({ min: 0, max: ids.length }), 0, f.helpers.arrayElement(ids));
    allowed(
      kit,
      id,
      'robustness.duplicates',
      { ...forcedBody(kit, f), instance_ids: ids },
      `Table 3 instance_ids: seeded duplicates among seeded ids (201 or 400, ${policy(3)})`,
      'function.sync.requested_instances_only',
    );
  },
  'robustness.unicode': (kit, id, f) => {
    const body = {
      vpc_channel_id: unicodeText(f),
      instance_ids: Array.from({ length: f.number.int({ min: 1, max: 3 }) }, () => unicodeText(f)),
    };
    // Made-up ids: no real ones are needed.
    allowed(
      kit,
      id,
      'robustness.unicode',
      body,
      `Table 3: seeded unicode ids (201 or 400, ${policy(3)})`,
      'status_codes.not_a_server_error',
      [],
    );
  },
};

/** The families --examples N adds variants to (bin/conformance.ts --help names them). */
export const VARIANT_FAMILIES: readonly string[] = Object.keys(VARIANTS);

export function addFamilies(kit: CaseKit): void {
  equivalentForms(kit);
  coercibleNegatives(kit);
  semanticVariety(kit);
  duplicatesAmongDistinct(kit);
  for (const [family, variant] of Object.entries(VARIANTS))
    for (let k = 0; k < (kit.ctx.examples ?? 0); k++) {
      const id = `${family}.variant-${k}`;
      variant(kit, id, kit.faker(id));
    }
}
