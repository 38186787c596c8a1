// Breaks exactly one rule of the registry in a valid instance. Each mutation carries where it
// struck (JSON pointer), the keyword, and the value before and after, so a case can say what it did.

import { operation, rule, schemas, validate, type RuleEntry } from '../schemas/index.ts';
import { charsetPattern, charsetString, resolve, satisfy, type WalkOptions } from './values.ts';
import type { Faker } from './seed.ts';

export interface Mutation {
  ruleId: string;
  pointer: string; // JSON pointer of the broken value ("" = the whole body)
  keyword: string;
  original: unknown;
  mutated: unknown; // ABSENT when the property was removed
  variant: string; // "wrong-type", "null", "above-maximum", ...
}

export const ABSENT = '(absent)';

type Schema = Parameters<typeof resolve>[0];
type Obj = Record<string, unknown>;

/** Schema name of the object a rule's table documents. */
export function objectOf(r: RuleEntry): string | undefined {
  return Object.entries(operation.objects).find(([, o]) => o.table === r.table)?.[0];
}

/** Pointers, within an instance of `root`, of every object documented by schema `target`. */
export function locate(root: string, instance: unknown, target: string): string[] {
  const out: string[] = [];
  const walk = (s: Schema, v: unknown, pointer: string, name: string) => {
    if (name === target && v && typeof v === 'object' && !Array.isArray(v)) out.push(pointer);
    const r = resolve(s);
    if (Array.isArray(v) && r.items)
      v.forEach((item, i) => {
        walk(r.items!, item, `${pointer}/${i}`, r.items!.$ref ? String(r.items!.$ref).replace('.schema.json', '') : '');
      });
    else if (v && typeof v === 'object' && r.properties) {
      for (const [k, p] of Object.entries(r.properties))
        if (k in (v as Obj))
          walk(p, (v as Obj)[k], `${pointer}/${k}`, p.$ref ? String(p.$ref).replace('.schema.json', '') : '');
    }
  };
  walk(schemas[root] as Schema, instance, '', root);
  return out;
}

export function getAt(v: unknown, pointer: string): unknown {
  return pointer === ''
    ? v
    : pointer
        .split('/')
        .slice(1)
        .reduce<unknown>((x, k) => (x as Obj)?.[k], v);
}

function wrongTypeOf(type: string | undefined): unknown {
  switch (type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return '12';
    case 'boolean':
      return 'true';
    case 'array':
      return 'not-an-array';
    default:
      return 'not-an-object';
  }
}

/** The ways a rule can be broken; type rules also have a null variant, root type rules several bodies. */
export function variantsOf(r: RuleEntry): string[] {
  if (r.keyword === 'type' && r.parameter === '(body)') return ['array', 'string', 'number', 'null'];
  if (r.keyword === 'type') return ['wrong-type', 'null'];
  return ['default'];
}

/**
 * Breaks rule `ruleId` in a deep copy of `valid` (an instance of schema `root`). Returns null when the
 * rule does not apply to this instance (its object is absent) or cannot be broken by construction.
 */
export function breakRule(
  root: string,
  valid: unknown,
  ruleId: string,
  f: Faker,
  variant = 'default',
  opts: WalkOptions = { optional: 'all' },
): { instance: unknown; mutation: Mutation } | null {
  const r = rule(ruleId);
  const objectName = objectOf(r);
  if (!objectName) return null;
  const instance = structuredClone(valid);
  const [where] = locate(root, instance, objectName);
  if (where === undefined) return null;
  const object = resolve(schemas[objectName] as Schema);
  const parent = getAt(instance, where) as Obj;
  const done = (pointer: string, keyword: string, original: unknown, mutated: unknown, v = variant) => ({
    instance,
    mutation: { ruleId, pointer, keyword, original, mutated, variant: v },
  });

  if (r.parameter === '(body)') {
    if (where !== '') return null;
    const body = { array: [], string: 'not-an-object', number: 42, null: null }[variant] ?? [];
    return {
      instance: body,
      mutation: { ruleId, pointer: '', keyword: 'type', original: valid, mutated: body, variant },
    };
  }
  if (r.expr) return breakSemantic(r, parent, object, f, opts, where, done, instance);

  const isItems = r.parameter.endsWith('[]');
  const name = isItems ? r.parameter.slice(0, -2) : r.parameter;
  const prop = object.properties?.[name];
  if (!prop) return null;
  const pointer = `${where}/${name}`;
  const original = parent[name];

  if (r.keyword === 'required') {
    if (!(name in parent)) return null;
    delete parent[name];
    return done(pointer, 'required', original, ABSENT);
  }
  if (original === undefined) return null;
  const s = resolve(prop);

  if (isItems) {
    if (!Array.isArray(original) || original.length === 0) return null;
    const mutated = variant === 'null' ? null : wrongTypeOf(resolve(s.items ?? {}).type);
    const before = (original as unknown[])[0];
    (original as unknown[])[0] = mutated;
    return done(`${pointer}/0`, r.keyword!, before, mutated);
  }

  let mutated: unknown;
  switch (r.keyword) {
    case 'type':
      mutated = variant === 'null' ? null : wrongTypeOf(s.type);
      break;
    case 'enum':
      mutated = s.type === 'integer' ? Math.max(...(s.enum as number[])) + 1 : 'NOT_A_DOCUMENTED_VALUE';
      break;
    case 'minimum':
      mutated = (s.minimum as number) - 1;
      break;
    case 'maximum':
      mutated = (s.maximum as number) + 1;
      break;
    case 'minLength':
    case 'maxLength': {
      const length = r.keyword === 'minLength' ? (s.minLength as number) - 1 : (s.maxLength as number) + 1;
      const set = s.pattern ? charsetPattern(s.pattern) : undefined;
      mutated = set ? charsetString(f, set, length) : 'x'.repeat(length);
      break;
    }
    case 'pattern': {
      const re = new RegExp(s.pattern as string, 'u');
      const text = String(original);
      const candidates = [
        `${text.slice(0, -1)}!`,
        `!${text.slice(1)}`,
        `${text.slice(0, -1)} `,
        '!'.repeat(Math.max(1, text.length)),
      ];
      mutated = candidates.find(
        (c) => !re.test(c) && c.length >= (s.minLength ?? 0) && c.length <= (s.maxLength ?? Infinity),
      );
      if (mutated === undefined) return null;
      break;
    }
    case 'format':
      mutated = 'not-a-date-time';
      break;
    default:
      return null;
  }
  parent[name] = mutated;
  // Keep the object's other rules true, so only the targeted rule breaks.
  for (const id of object['x-rules'] ?? []) satisfy(parent, object, id, f, opts, name);
  return done(pointer, r.keyword!, original, mutated);
}

function breakSemantic(
  r: RuleEntry,
  parent: Obj,
  object: Schema,
  f: Faker,
  opts: WalkOptions,
  where: string,
  done: (p: string, k: string, o: unknown, m: unknown) => { instance: unknown; mutation: Mutation },
  instance: unknown,
) {
  const expr = r.expr!;
  const props = object.properties ?? {};
  if (expr.op === 'lt') {
    const [l, rr] = [resolve(props[expr.left]), resolve(props[expr.right])];
    const lo = Math.max(l.minimum ?? 0, rr.minimum ?? 0);
    const hi = Math.min(l.maximum ?? 1000, rr.maximum ?? 1000);
    if (lo > hi) return null;
    const v = f.number.int({ min: lo, max: hi });
    const original = { [expr.left]: parent[expr.left], [expr.right]: parent[expr.right] };
    parent[expr.left] = v;
    parent[expr.right] = v;
    return done(`${where}/${expr.left}`, 'x-rules', original, { [expr.left]: v, [expr.right]: v });
  }
  if (expr.op === 'requiredIf') {
    // A condition on an enclosing object is set there (the object `path` leads down from).
    const depth = expr.enclosing?.path.length ?? 0;
    if (where.split('/').length - 1 < depth) return null; // no enclosing object in this instance
    const up = depth ? where.split('/').slice(0, -depth).join('/') : where;
    const holder = getAt(instance, up) as Obj | undefined;
    if (!holder || typeof holder !== 'object') return null;
    const original = { [expr.when]: holder[expr.when], [expr.field]: parent[expr.field] };
    holder[expr.when] = expr.in[0];
    delete parent[expr.field];
    for (const id of object['x-rules'] ?? []) if (id !== r.id) satisfy(parent, object, id, f, opts, expr.field);
    return done(`${where}/${expr.field}`, 'x-rules', original, { [expr.when]: expr.in[0], [expr.field]: ABSENT });
  }
  const grammar = resolve(props[expr.field])['x-grammar']?.integerList;
  if (!grammar) return null;
  const original = parent[expr.field];
  parent[expr.field] = `${grammar.hi}-${grammar.lo}`;
  return done(`${where}/${expr.field}`, 'x-rules', original, parent[expr.field]);
}

/** The rule ids a broken instance of `root` actually violates (the self-check of a negative case). */
export function violatedRules(root: string, instance: unknown): string[] {
  return [...new Set(validate(root, instance).map((v) => v.ruleId))];
}

/**
 * Whether a mutated instance breaks exactly the targeted rule. A wrong type on an enum field cannot
 * avoid also leaving the enum, so that one companion is allowed.
 */
export function breaksOnly(root: string, instance: unknown, ruleId: string): { ok: boolean; violated: string[] } {
  const violated = violatedRules(root, instance);
  const companion = ruleId.endsWith('.type') ? ruleId.replace(/\.type$/, '.enum') : undefined;
  const ok = violated.includes(ruleId) && violated.every((id) => id === ruleId || id === companion);
  return { ok, violated };
}
