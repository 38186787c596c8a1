// Valid values for any generated schema, by walking it: one walk serves request bodies and
// (for the nock-based unit tests) response bodies. Realistic where a name hints at the meaning.

import { schemas, rule, type JsonSchema } from '../schemas/index.ts';
import type { Faker } from './seed.ts';

export interface WalkOptions {
  /** Which optional properties to include: all, none, or a seeded coin toss per property. */
  optional: 'all' | 'none' | 'random';
  /** Fixed values by parameter name (e.g. real ids from the fixtures). */
  fixed?: Record<string, unknown>;
}

type Schema = JsonSchema & {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
  'x-rules'?: string[];
  'x-stricter'?: Record<string, number>;
  'x-grammar'?: { integerList: { lo: number; hi: number; lists: boolean; ranges: boolean } };
};

/** A property schema with its $ref target merged in (the target's keywords, the property's provenance). */
export function resolve(s: Schema): Schema {
  if (!s.$ref) return s;
  const target = schemas[s.$ref.replace('.schema.json', '')] as Schema;
  if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
  const { $ref: _ref, ...rest } = s;
  return { ...target, ...rest, properties: target.properties, required: target.required, 'x-rules': target['x-rules'] };
}

/** Expands a regex character class body ("A-Za-z0-9_-", "\\u4e00-\\u9fa5") into its characters, capped per range. */
export function classChars(body: string): string[] {
  const chars: string[] = [];
  const tokens: string[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && body[i + 1] === 'u') {
      tokens.push(String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16)));
      i += 5;
    } else if (body[i] === '\\') {
      tokens.push(body[i + 1]);
      i++;
    } else tokens.push(body[i]);
  }
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i + 1] === '-' && i + 2 < tokens.length) {
      const [a, b] = [tokens[i].codePointAt(0)!, tokens[i + 2].codePointAt(0)!];
      for (let c = a; c <= b && c - a < 64; c++) chars.push(String.fromCodePoint(c));
      i += 2;
    } else chars.push(tokens[i]);
  }
  return chars;
}

/** Patterns the compiler writes from words: ^[first][rest]*$ or ^[rest]*$. */
export function charsetPattern(pattern: string): { first?: string[]; rest: string[] } | undefined {
  let m = /^\^\[([^\]]+)\]\[([^\]]+)\]\*\$$/.exec(pattern);
  if (m) return { first: classChars(m[1]), rest: classChars(m[2]) };
  m = /^\^\[([^\]]+)\]\*\$$/.exec(pattern);
  if (m) return { rest: classChars(m[1]) };
  return undefined;
}

function lengthBounds(s: Schema, fallbackMax: number): [number, number] {
  const min = s.minLength ?? 1;
  const max = Math.max(min, Math.min(s.maxLength ?? fallbackMax, Math.max(min, fallbackMax)));
  return [min, max];
}

/** A string of exactly `length` characters drawn from a charset, realistic words first. */
export function charsetString(f: Faker, set: { first?: string[]; rest: string[] }, length: number): string {
  const allowed = new Set(set.rest);
  const sep = ['_', '-'].find((c) => allowed.has(c)) ?? '';
  let text = f.word.words({ count: { min: 1, max: 3 } }).replace(/\s+/g, sep);
  text = [...text].filter((c) => allowed.has(c)).join('');
  while (text.length < length) text += f.helpers.arrayElement(set.rest);
  text = text.slice(0, length);
  if (set.first && length > 0 && !set.first.includes(text[0])) text = f.helpers.arrayElement(set.first) + text.slice(1);
  return text;
}

function stringValue(s: Schema, name: string, f: Faker): string {
  if (s.format === 'date-time')
    return f.date
      .between({ from: '2020-01-01T00:00:00Z', to: '2025-12-31T00:00:00Z' })
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  const grammar = s['x-grammar']?.integerList;
  if (grammar) {
    const n = grammar.lists ? f.number.int({ min: 1, max: 3 }) : 1;
    return Array.from({ length: n }, () => {
      const a = f.number.int({ min: grammar.lo, max: grammar.hi });
      if (!grammar.ranges || f.datatype.boolean()) return String(a);
      return `${a}-${f.number.int({ min: a, max: grammar.hi })}`;
    }).join(',');
  }
  const [min, max] = lengthBounds(s, 32);
  if (s.pattern) {
    const set = charsetPattern(s.pattern);
    if (!set) throw new Error(`no generator for pattern ${s.pattern} (${name})`);
    return charsetString(f, set, f.number.int({ min, max: Math.min(max, 24) < min ? max : Math.min(max, 24) }));
  }
  let text: string;
  if (name === 'id' || name.endsWith('_id')) text = f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });
  else if (name === 'host') text = f.internet.ipv4();
  else if (name === 'path') text = `/${f.word.noun()}/${f.word.noun()}`;
  else if (name.endsWith('remark')) text = f.lorem.sentence();
  else if (name.endsWith('address')) text = `http://${f.internet.ipv4()}:${f.internet.port()}`;
  else text = f.word.words({ count: { min: 1, max: 2 } }).replace(/\s+/g, '-');
  while (text.length < min) text += f.string.alphanumeric(1);
  return text.slice(0, max);
}

export function validValue(schema: Schema, name: string, f: Faker, opts: WalkOptions): unknown {
  // A bound the page states twice is the looser in the schema; valid values keep within the stricter.
  const resolved = resolve(schema);
  const s = resolved['x-stricter'] ? { ...resolved, ...resolved['x-stricter'] } : resolved;
  if (opts.fixed && name in opts.fixed) return opts.fixed[name];
  if (s.enum) return f.helpers.arrayElement(s.enum);
  switch (s.type) {
    case 'string':
      return stringValue(s, name, f);
    case 'integer':
      return f.number.int({ min: s.minimum ?? 0, max: s.maximum ?? 1000 });
    case 'number':
      return f.number.float({ min: s.minimum ?? 0, max: s.maximum ?? 1000, fractionDigits: 2 });
    case 'boolean':
      return f.datatype.boolean();
    case 'array': {
      const n = f.number.int({ min: s.minItems ?? 1, max: Math.min(s.maxItems ?? 3, 3) });
      return Array.from({ length: n }, () => validValue(s.items ?? {}, `${name}[]`, f, opts));
    }
    default:
      return validObject(s, f, opts);
  }
}

function validObject(s: Schema, f: Faker, opts: WalkOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = s.required ?? [];
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const include =
      required.includes(name) || opts.optional === 'all' || (opts.optional === 'random' && f.datatype.boolean());
    if (include) out[name] = validValue(prop, name, f, opts);
  }
  for (const id of s['x-rules'] ?? []) satisfy(out, s, id, f, opts);
  return out;
}

const bounds = (s: Schema | undefined): [number, number] => [s?.minimum ?? 0, s?.maximum ?? 1000];

/** Makes one semantic rule hold on a generated object, touching only the fields it names. */
export function satisfy(
  o: Record<string, unknown>,
  s: Schema,
  id: string,
  f: Faker,
  opts: WalkOptions,
  keep?: string,
): void {
  const expr = rule(id).expr;
  if (!expr) return;
  const props = s.properties ?? {};
  if (expr.op === 'lt') {
    const [l, r] = [o[expr.left], o[expr.right]];
    if (typeof l !== 'number' || typeof r !== 'number' || l < r) return;
    const [lMin, lMax] = bounds(props[expr.left]);
    const [rMin, rMax] = bounds(props[expr.right]);
    if (keep !== expr.left && Math.min(lMax, r - 1) >= lMin)
      o[expr.left] = f.number.int({ min: lMin, max: Math.min(lMax, r - 1) });
    else if (keep !== expr.right && rMax >= Math.max(rMin, l + 1))
      o[expr.right] = f.number.int({ min: Math.max(rMin, l + 1), max: rMax });
  } else if (expr.op === 'requiredIf') {
    const when = o[expr.when];
    if (typeof when === 'string' && expr.in.includes(when) && o[expr.field] === undefined && keep !== expr.field) {
      o[expr.field] = validValue(props[expr.field], expr.field, f, opts);
    }
  }
}
