// The runtime validators against the page's examples, then every schema rule and every semantic rule
// broken one at a time in a full valid instance of each root: each break must be caught, alone, and the
// violation must name the rule, its table and its parameter.

import { describe, expect, it } from 'vitest';
import { breakRule, breaksOnly, variantsOf } from '../../generators/mutations.ts';
import { caseSeed, DEFAULT_SEED, fakerFor } from '../../generators/seed.ts';
import { validValue } from '../../generators/values.ts';
import {
  operation,
  rules,
  schemas,
  validate,
  validateRequestBody,
  validateResponseBody,
  type RuleEntry,
} from '../../schemas/index.ts';

const example = (kind: 'request' | 'response', status?: number) => {
  const e = operation.examples.find((x) => x.kind === kind && x.status === status);
  if (!e) throw new Error(`the page has no ${kind} example for ${status}`);
  return e.json;
};

describe('the page examples', () => {
  it('the example request passes validateRequestBody', () => {
    expect(validateRequestBody(example('request'))).toEqual([]);
  });

  it.each([400, 401, 403, 500])('the example %i error body passes its status schema', (status) => {
    expect(validateResponseBody(status, example('response', status))).toEqual([]);
  });

  it('the example 201 fails with exactly the known contradictions (type and protocol)', () => {
    const violations = validateResponseBody(201, example('response', 201));
    const found = [...new Set(violations.map((v) => `${v.ruleId} @ ${v.instancePath}`))].sort();
    expect(found).toEqual(
      [0, 1]
        .flatMap((i) => [
          `table5.type.enum @ /project_vpc_channels/${i}/type`,
          `table5.type.type @ /project_vpc_channels/${i}/type`,
          `table8.protocol.enum @ /project_vpc_channels/${i}/vpc_health_config/protocol`,
        ])
        .sort(),
    );
    for (const v of violations) {
      expect(v.table).toBe(v.ruleId.startsWith('table5') ? 'Table 5' : 'Table 8');
      expect(v.parameter).toBe(v.ruleId.startsWith('table5') ? 'type' : 'protocol');
    }
    expect(violations.find((v) => v.ruleId === 'table5.type.type')?.message).toBe(
      '/project_vpc_channels/0/type must be string (got 2)',
    );
    expect(violations.find((v) => v.ruleId === 'table8.protocol.enum')?.message).toContain('(got "http")');
  });

  it('the example 201 with the decided readings (type a string, protocol upper case) passes', () => {
    const fixed = structuredClone(example('response', 201)) as {
      project_vpc_channels: { type: unknown; vpc_health_config: { protocol: string } }[];
    };
    for (const e of fixed.project_vpc_channels) {
      e.type = 'BUILTIN';
      e.vpc_health_config.protocol = e.vpc_health_config.protocol.toUpperCase();
    }
    expect(validateResponseBody(201, fixed)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

const ROOTS = [
  'RequestBody',
  'Response201',
  'Response400',
  'Response401',
  'Response403',
  'Response500',
  'PathParameters',
  'RequestHeaders',
] as const;
const checked: RuleEntry[] = rules.filter(
  (r) => r.kind === 'schema' || (r.kind === 'semantic' && r.expr !== undefined),
);
const cases = checked.flatMap((r) => variantsOf(r).map((variant) => ({ id: r.id, variant, rule: r })));
const brokenBy = new Map<string, string[]>(); // rule id -> "root/variant" that broke it

function validInstance(root: string, seed: number): unknown {
  const instance = validValue(schemas[root], '(body)', fakerFor(seed), { optional: 'all' });
  expect(validate(root, instance), `a generated ${root} must be valid`).toEqual([]);
  return instance;
}

describe('every rule, broken alone in every root', () => {
  it('covers schema and semantic rules of every table', () => {
    expect(ROOTS.every((root) => schemas[root])).toBe(true);
    expect(checked.length).toBeGreaterThan(150);
    const tables = new Set(checked.map((r) => r.table));
    for (let n = 1; n <= 15; n++) expect(tables.has(`Table ${n}`), `Table ${n}`).toBe(true);
  });

  it.each(ROOTS)('a full valid %s is valid (several seeds)', (root) => {
    for (let i = 0; i < 20; i++) validInstance(root, caseSeed(DEFAULT_SEED, `valid:${root}:${i}`));
  });

  describe.each(cases)('$id ($variant)', ({ id, variant, rule }) => {
    it.each(ROOTS)('in %s', (root) => {
      const seed = caseSeed(DEFAULT_SEED, `${id}:${variant}:${root}`);
      const valid = validInstance(root, seed);
      const broken = breakRule(root, valid, id, fakerFor(seed + 1), variant);
      if (broken === null) return; // the rule's object is not in this root
      expect(broken.mutation).toMatchObject({ ruleId: id, variant });
      const only = breaksOnly(root, broken.instance, id);
      expect(
        only.ok,
        `breaking ${id} (${variant}) in ${root} at ${broken.mutation.pointer} violated ${JSON.stringify(only.violated)}`,
      ).toBe(true);
      const violations = validate(root, broken.instance);
      const hit = violations.find((v) => v.ruleId === id);
      expect(hit, JSON.stringify(violations)).toBeDefined();
      expect(hit).toMatchObject({ ruleId: rule.id, table: rule.table, parameter: rule.parameter });
      expect(hit!.message.length).toBeGreaterThan(0);
      brokenBy.set(id, [...(brokenBy.get(id) ?? []), `${root}/${variant}`]);
    });
  });

  // Defined last, so it runs after every case above (tests of a file run in order).
  it('every rule was broken in at least one root, every variant too', () => {
    const never = checked.filter((r) => !brokenBy.has(r.id)).map((r) => r.id);
    expect(never, `rules never broken in any root: ${never.join(', ')}`).toEqual([]);
    const variantsMissed = cases
      .filter(({ id, variant }) => !(brokenBy.get(id) ?? []).some((x) => x.endsWith(`/${variant}`)))
      .map(({ id, variant }) => `${id} (${variant})`);
    expect(variantsMissed, `variants never broken: ${variantsMissed.join(', ')}`).toEqual([]);
  });
});
