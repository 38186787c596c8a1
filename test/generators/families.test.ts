// The case families of generators/families.ts: equivalent wire forms carry the same JSON value, coercible
// negatives follow the schema's types and break exactly their type rule on the wire, bodies the page lets a
// server refuse never carry "must succeed", every case passes its own self-check, and --examples adds
// seeded variants with stable ids that never change another case.

import { isDeepStrictEqual } from 'node:util';
import { describe, expect, test } from 'vitest';
import { buildCases, requestsOf, type Case, type CaseContext } from '../../generators/cases.ts';
import { coercionsOf, elementCoercionsOf } from '../../generators/coercions.ts';
import { FAMILIES } from '../../generators/families.ts';
import { fakerFor } from '../../generators/seed.ts';
import { WIRE_FORMS, jsonText } from '../../generators/wire-forms.ts';
import { rules, schemas } from '../../schemas/index.ts';
import { selfCheck } from '../../suites/engine/run-case.ts';
import { planRun } from '../../suites/run/plan.ts';
import { DEFAULT_FIXTURES as fx } from '../../server/index.ts';

const ctx: CaseContext = {
  seed: 3,
  vpcChannelIds: [...fx.vpcChannelIds],
  instanceIds: [...fx.instanceIds],
  hasForbiddenToken: true,
};
const deep = buildCases({ ...ctx, examples: 20 });
const byId = (cases: Case[], id: string) => cases.find((c) => c.id === id)!;
const jsonOf = (c: Case) => (c.body as { json: Record<string, unknown> }).json;
const BODY_FIELDS = Object.keys(schemas.RequestBody.properties ?? {});

describe('equivalent wire forms', () => {
  const value = { vpc_channel_id: 'ch-1', instance_ids: ['é-1', '🚀'], force_sync: true };
  test.each(WIRE_FORMS.map((f) => [f.name, f] as const))(
    '%s carries the same JSON value, canonical or seeded',
    (_n, form) => {
      for (const f of [undefined, ...[1, 2, 3, 4, 5].map((s) => fakerFor(s))]) {
        const step = form.step(value, f);
        const text = step.text ?? JSON.stringify(value);
        expect(JSON.parse(text)).toEqual(value);
        if (form.rule === 'wire.equivalent_json' && !f) expect(text).not.toBe(JSON.stringify(value));
        if (step.contentType !== undefined)
          expect(step.contentType?.split(';')[0].trim().toLowerCase()).toBe('application/json');
      }
    },
  );
  test('jsonText writes whitespace, order and escapes as asked, and only those', () => {
    expect(jsonText({ a: ['x'] }, { ws: () => ' ' })).toBe('{ "a" : [ "x" ] }');
    expect(jsonText({ a: 1, b: 2 }, { order: (k) => [...k].reverse() })).toBe('{"b":2,"a":1}');
    expect(jsonText({ ab: '🚀' }, { escape: () => true })).toBe('{"\\u0061\\u0062":"\\ud83d\\ude80"}');
  });
  test('each form is one case of two requests, forced, judged against the canonical answer', () => {
    for (const form of WIRE_FORMS) {
      const c = byId(deep, `positive.equivalent.${form.name}`);
      expect(requestsOf(c).map((s) => s.label)).toEqual(['canonical', form.name]);
      expect(c).toMatchObject({ ruleId: form.rule, effect: 'sync', expect: { statuses: [201] } });
      expect(jsonOf(c).force_sync).toBe(true);
      expect(c.checks).toContain('equivalent_form_conformance');
    }
  });
});

describe('coercible negatives', () => {
  test('come from the schema type: per type, the values a lenient parser turns back', () => {
    expect(coercionsOf('boolean', true).map((c) => c.value)).toEqual([1, 0, 'true', 'false']);
    expect(coercionsOf('string', 'id-1')).toEqual([{ variant: 'array-of-one', value: ['id-1'] }]);
    expect(coercionsOf('array', ['a', 'b']).map((c) => c.value)).toEqual(['a,b', 'a']);
    expect(elementCoercionsOf(['a', 'b']).map((c) => c.value)).toEqual([
      ['a', 'b', null],
      [['a'], 'b'],
    ]);
  });
  test('every type rule of a Table 3 field has them, with real ids, refused with 400, needing real ids', () => {
    const typeRules = rules.filter((r) => r.table === 'Table 3' && r.keyword === 'type' && r.parameter !== '(body)');
    expect(typeRules.length).toBeGreaterThan(0);
    const coercible = deep.filter((c) => c.family === 'negative.coercible' && !c.id.includes('.variant-'));
    for (const r of typeRules)
      expect(
        coercible.some((c) => c.ruleId === r.id),
        r.id,
      ).toBe(true);
    for (const c of coercible) {
      expect(c).toMatchObject({
        kind: 'schema-invalid',
        effect: 'none',
        selfCheck: 'invalid',
        expect: { statuses: [400] },
      });
      expect(c.needs).toEqual(['vpcChannelId', 'instanceIds']);
      expect(JSON.stringify(jsonOf(c))).toContain(fx.vpcChannelIds[0].slice(0, 8)); // the other fields are real
    }
  });
  test('are skipped without real ids, with the flag that would enable them', () => {
    const id = 'negative.coercible.table3.force_sync.type.number-1';
    const facts = {
      embedded: false,
      vpcChannelIds: [],
      instanceIds: [],
      hasForbiddenToken: true,
      authMode: 'token' as const,
    };
    const plan = planRun({ seed: 3, examples: 20, caseIds: [id] }, facts);
    if ('problem' in plan) throw new Error(plan.problem);
    expect(plan.cases).toHaveLength(1);
    expect(plan.cases[0].skip?.enable).toContain('--vpc-channel-id');
  });
});

describe('every case of a deep run', () => {
  test('passes its own self-check in the form it goes on the wire (ajv)', () => {
    const ours = deep.map((c) => [c.id, selfCheck(c)]).filter(([, problem]) => problem !== null);
    expect(ours).toEqual([]);
  });
  test('belongs to a documented family, a prefix of its id', () => {
    for (const c of deep) {
      expect(FAMILIES[c.family], c.id).toBeDefined();
      expect(c.id.startsWith(c.family), c.id).toBe(true);
    }
  });
  test('never carries "must succeed" on a body with duplicates, an empty list or unknown fields (policy 3)', () => {
    const refusable = deep.filter((c) => {
      if (!('json' in c.body) || !c.body.json || typeof c.body.json !== 'object') return false;
      const b = c.body.json as Record<string, unknown>;
      const ids = b.instance_ids;
      return (
        (Array.isArray(ids) && (ids.length === 0 || new Set(ids).size < ids.length)) ||
        Object.keys(b).some((k) => !BODY_FIELDS.includes(k))
      );
    });
    expect(refusable.length).toBeGreaterThan(5);
    for (const c of refusable) {
      expect(c.ruleId, c.id).not.toBe('table3.force_sync.must_succeed');
      expect(c.expect.statuses, c.id).toContain(400);
      expect(c.effect, c.id).not.toBe('sync');
    }
  });
});

describe('semantic variety', () => {
  const ids = (cases: Case[]) => cases.filter((c) => c.family === 'positive.variety').map((c) => c.id);
  test('one, three and all instances, subsets in other orders, every channel without instance_ids', () => {
    const five = buildCases({ ...ctx, instanceIds: ['a', 'b', 'c', 'd', 'e'] });
    expect(ids(five)).toEqual(
      expect.arrayContaining([
        'positive.variety.instances-1',
        'positive.variety.instances-3',
        'positive.variety.instances-all',
        'positive.variety.rotated',
        'positive.variety.subset-reordered',
        'positive.variety.channel-1.no-instances',
        'positive.variety.channel-3.no-instances',
      ]),
    );
    expect(jsonOf(byId(five, 'positive.variety.subset-reordered')).instance_ids).toEqual(['e', 'a']);
    expect(jsonOf(byId(five, 'positive.variety.channel-2.no-instances'))).toEqual({
      vpc_channel_id: fx.vpcChannelIds[1],
      force_sync: true,
    });
  });
  test('every known channel listed with --vpc-channel-id gets its cases', () => {
    const two = buildCases({ ...ctx, vpcChannelIds: ['x', 'y'] });
    expect(ids(two).filter((id) => id.includes('.channel-'))).toEqual([
      'positive.variety.channel-1.no-instances',
      'positive.variety.channel-2.no-instances',
    ]);
  });
});

describe('--examples', () => {
  const variants = (cases: Case[]) => cases.filter((c) => c.id.includes('.variant-'));
  test('adds N seeded variants per family, with stable ids family.variant-k', () => {
    const families = new Set(variants(deep).map((c) => c.family));
    expect(families.size).toBeGreaterThanOrEqual(7);
    for (const f of families) {
      const mine = variants(deep).filter((c) => c.family === f);
      expect(mine.map((c) => c.id).sort()).toEqual(Array.from({ length: 20 }, (_, k) => `${f}.variant-${k}`).sort());
    }
  });
  test('a new variant never changes another case: fewer examples give a subset, the default run is untouched', () => {
    const base = buildCases(ctx);
    const five = buildCases({ ...ctx, examples: 5 });
    expect(five.filter((c) => !c.id.includes('.variant-'))).toEqual(base);
    for (const c of five) expect(isDeepStrictEqual(c, byId(deep, c.id)), c.id).toBe(true);
  });
  test('the same seed gives the same variants; another seed other values under the same ids', () => {
    expect(buildCases({ ...ctx, examples: 4 })).toEqual(buildCases({ ...ctx, examples: 4 }));
    const other = buildCases({ ...ctx, seed: 4, examples: 4 });
    const mine = buildCases({ ...ctx, examples: 4 });
    expect(other.map((c) => c.id)).toEqual(mine.map((c) => c.id));
    expect(variants(other).map((c) => JSON.stringify(c.body))).not.toEqual(
      variants(mine).map((c) => JSON.stringify(c.body)),
    );
  });
});
