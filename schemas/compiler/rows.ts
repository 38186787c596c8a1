// One table row -> its property schema and its rules in the registry: the type, the keywords its words
// and lines state (enums, bounds, patterns, grammars, list formats, defaults) and Mandatory. A bound
// stated twice is settled here (errata decision, or looser/stricter); words that do not fit go to review.

import { conflictMessage, type Side, settleBound } from './bounds.ts';
import type { Errata, JsonSchema, RuleEntry, ReviewItem, ConflictFinding } from './compile.ts';
import type { Referrers } from './conditions.ts';
import { CompileError } from './errors.ts';
import { boundSides, listOf, patternOf } from './keywords.ts';
import type { Row, Table } from './parse-page.ts';
import { type Reading, readDescription } from './read-description.ts';

/** What every row of a page adds to or reads from. */
export interface RowContext {
  errata: Errata;
  strict: boolean;
  names: Map<string, string>; // table title -> schema name
  add: (e: RuleEntry) => void;
  review: ReviewItem[];
  conflicts: ConflictFinding[];
  referenced: Set<string>;
  referrers: Referrers;
}

export const snake = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

/** One row: where it is, its rule id prefix, and how a keyword becomes a schema keyword and a rule. */
interface RowAt {
  b: RowContext;
  t: Table;
  row: Row;
  id: string; // "table8.timeout"
  where: string; // 'Table 8 "timeout" (line 500)'
  type: string;
  prop: JsonSchema;
  base: { table: string; parameter: string; source: string };
  constrain: (keyword: string, value: unknown, text: string) => void;
  toReview: (line: number, text: string, why: string) => void;
}

export function compileRow(
  b: RowContext,
  name: string,
  t: Table,
  row: Row,
  rules: string[],
): { prop: JsonSchema; reading: Reading } {
  const reading = readDescription(row);
  const id = `${t.id}.${snake(row.parameter)}`;
  const prop = typeOf(row, t, b.names);
  const base = { table: t.name, parameter: row.parameter, source: 'page' };
  const at: RowAt = {
    b,
    t,
    row,
    id,
    where: `${t.name} "${row.parameter}" (line ${row.line})`,
    type: String(prop.type),
    prop,
    base,
    constrain: (keyword, value, text) => {
      prop[keyword] = value;
      b.add({ id: `${id}.${keyword}`, kind: 'schema', keyword, value, text, ...base });
    },
    toReview: (line, text, why) => b.review.push({ table: t.name, parameter: row.parameter, line, text, why }),
  };
  typeRules(at, name);
  enumOf(at, reading);
  const sides = boundSides(reading, at.type, at.toReview);
  const isString = at.type === 'string';
  bound(at, isString ? 'minLength' : at.type === 'array' ? 'minItems' : 'minimum', sides.lows);
  bound(at, isString ? 'maxLength' : at.type === 'array' ? 'maxItems' : 'maximum', sides.highs);
  const pattern = patternOf(reading, at.type, at.toReview);
  if (pattern) at.constrain('pattern', pattern.value, pattern.text);
  grammarOf(at, reading, rules);
  const list = listOf(reading, at.type, at.toReview);
  if (list) at.constrain('x-list', list.value, list.text);
  defaultOf(at, reading);
  if (row.mandatory)
    b.add({
      id: `${id}.required`,
      kind: 'schema',
      keyword: 'required',
      text: `${row.parameter}: Mandatory Yes`,
      ...base,
    });
  for (const r of reading.review) at.toReview(r.line, r.text, r.why);
  prop['x-doc'] = { id, table: t.name, parameter: row.parameter, text: reading.summary };
  return { prop, reading };
}

/** The type rules of a row (and of its items), and where it refers to another object. */
function typeRules(at: RowAt, name: string): void {
  const { b, row, id, prop, base, t } = at;
  const text = `${row.parameter}: ${row.type}`;
  b.add({ id: `${id}.type`, kind: 'schema', keyword: 'type', value: prop.type, text, ...base });
  if (prop.format) b.add({ id: `${id}.format`, kind: 'schema', keyword: 'format', value: prop.format, text, ...base });
  const items = prop.items as JsonSchema | undefined;
  if (items) {
    items['x-doc'] = { id: `${id}.items`, table: t.name, parameter: `${row.parameter}[]`, text: row.type };
    const parameter = `${row.parameter}[]`;
    b.add({ id: `${id}.items.type`, kind: 'schema', keyword: 'type', value: items.type, text, ...base, parameter });
  }
  for (const [target, path] of [
    [prop.$ref, [row.parameter]],
    [items?.$ref, [row.parameter, '*']],
  ] as const) {
    if (typeof target !== 'string') continue;
    const object = target.replace('.schema.json', '');
    b.referenced.add(object);
    b.referrers.set(object, [...(b.referrers.get(object) ?? []), { from: name, path: [...path] }]);
  }
}

/** Values typed as the row's type; values that are not of it ("1-10: low" on an Integer) go to review. */
function enumOf(at: RowAt, reading: Reading): void {
  const e = reading.enum;
  if (!e) return;
  try {
    at.constrain(
      'enum',
      e.value.map((v) => typed(v, at.type, at.where)),
      e.text,
    );
  } catch {
    at.toReview(
      e.line,
      e.text,
      `${reading.enumFrom === 'words' ? 'values in words' : 'bullet values'} that are not ${at.type}s`,
    );
  }
}

/** A bound from its sides: one value, or two settled by the errata or as looser/stricter (--strict: stop). */
function bound(at: RowAt, keyword: string, sides: Side[]): void {
  if (sides.length === 0) return;
  const text = sides.map((s) => s.text).join(' / ');
  const distinct = [...new Set(sides.map((s) => s.value))];
  if (distinct.length === 1) {
    at.constrain(keyword, distinct[0], text);
    return;
  }
  const ruleId = `${at.id}.${keyword}`;
  const decision = at.b.errata.conflicts.find((c) => c.id === ruleId);
  if (!decision && at.b.strict) throw new CompileError(conflictMessage(at.where, keyword, sides, ruleId));
  const settled = settleBound(keyword, sides, decision);
  at.b.conflicts.push({
    id: ruleId,
    table: at.t.name,
    parameter: at.row.parameter,
    sides,
    resolvedTo: settled.value,
    reason: settled.reason,
    ...(settled.stricter === undefined ? {} : { stricter: settled.stricter, decided: false }),
  });
  at.prop[keyword] = settled.value;
  if (settled.stricter !== undefined)
    at.prop['x-stricter'] = { ...(at.prop['x-stricter'] as object), [keyword]: settled.stricter };
  const { source, reason, value } = settled;
  at.b.add({ id: ruleId, kind: 'schema', keyword, value, text, ...at.base, source, reason });
}

/** An integer-list grammar (http_code's) as data, and its range-order rule. */
function grammarOf(at: RowAt, reading: Reading, rules: string[]): void {
  const g = reading.integerList;
  if (!g || at.type !== 'string') return;
  // The grammar as data too, so generators can build values without reading the regex back.
  at.prop['x-grammar'] = { integerList: g.value };
  if (!g.value.ranges) return;
  const { table, parameter } = at.base;
  const expr = { op: 'rangesAscending' as const, field: at.row.parameter };
  at.b.add({ id: `${at.id}.range_order`, kind: 'semantic', table, parameter, text: g.text, source: 'page', expr });
  rules.push(`${at.id}.range_order`);
}

/**
 * A "Default:" line is typed strictly; a default in words that is not of the type goes to review. A
 * default stated twice with two values, or outside the row's enum, is a conflict: the errata decide
 * it, --strict stops, and undecided the line's value stands (a default outside the enum is left out).
 */
function defaultOf(at: RowAt, reading: Reading): void {
  const d = reading.default;
  if (!d) return;
  let value: unknown;
  try {
    value = typed(d.value, at.type, at.where);
  } catch (err) {
    if (/^Default:/.test(d.text)) throw err;
    return void at.toReview(d.line, d.text, `a default in words that is not a ${at.type}`);
  }
  const w = reading.defaultWords;
  const listed = at.prop.enum as unknown[] | undefined;
  if (w) {
    const sides = [d, w].map((s) => ({ value: s.value, text: s.text, line: s.line }));
    value = defaultConflict(at, sides, value, `the "${d.text}" line stands until the errata decide`);
  } else if (listed && !listed.includes(value)) {
    const e = reading.enum!;
    const sides = [
      { value: d.value, text: d.text, line: d.line },
      { value: listed.join(', '), text: e.text, line: e.line },
    ];
    value = defaultConflict(at, sides, undefined, 'the default is not one of the listed values; left out');
  }
  if (value !== undefined) at.prop.default = value;
}

/** A default conflict: the errata's value, a stop under --strict, or `undecided` listed as undecided. */
function defaultConflict(at: RowAt, sides: ConflictFinding['sides'], undecided: unknown, why: string): unknown {
  const id = `${at.id}.default`;
  const decision = at.b.errata.conflicts.find((c) => c.id === id);
  if (!decision && at.b.strict)
    throw new CompileError(
      `${at.where}: the default is stated as ${sides.map((s) => `${s.value} ("${s.text}", line ${s.line})`).join(' and ')}; decide it in the errata "conflicts" with id ${id}`,
    );
  const { table, parameter } = at.base;
  const reason = decision ? decision.reason : `undecided (no errata entry): ${why}`;
  const resolvedTo = decision ? decision.value : undecided;
  at.b.conflicts.push({ id, table, parameter, sides, resolvedTo, reason, ...(decision ? {} : { decided: false }) });
  return resolvedTo;
}

export function typeOf(row: Row, table: Table, names: Map<string, string>): JsonSchema {
  const ref = (object: string) => {
    const name = names.get(object);
    if (!name)
      throw new CompileError(
        `${table.name} row "${row.parameter}" (line ${row.line}): type "${row.type}" names ${object}, which no table documents`,
      );
    return `${name}.schema.json`;
  };
  const scalar: Record<string, string> = {
    String: 'string',
    Integer: 'integer',
    Long: 'integer',
    Number: 'number',
    Float: 'number',
    Double: 'number',
    Boolean: 'boolean',
    Object: 'object',
  };
  if (row.type === 'Long') return { type: 'integer', format: 'int64' };
  if (scalar[row.type]) return { type: scalar[row.type] };
  if (row.type === 'Array of Long') return { type: 'array', items: { type: 'integer', format: 'int64' } };
  let m = /^Array of (strings|integers|numbers|booleans)$/.exec(row.type);
  if (m) return { type: 'array', items: { type: m[1].slice(0, -1) } };
  m = /^Array of ([A-Z][A-Za-z0-9]*) objects$/.exec(row.type);
  if (m) return { type: 'array', items: { type: 'object', $ref: ref(m[1]) } };
  m = /^([A-Z][A-Za-z0-9]*) object$/.exec(row.type);
  if (m) return { type: 'object', $ref: ref(m[1]) };
  throw new CompileError(`${table.name} row "${row.parameter}" (line ${row.line}): unknown type "${row.type}"`);
}

function typed(raw: string, type: unknown, where: string): unknown {
  if (type === 'integer' || type === 'number') {
    if (!/^-?\d+(\.\d+)?$/.test(raw))
      throw new CompileError(`${where}: "${raw}" is not a number, but the parameter is ${type}`);
    return Number(raw);
  }
  if (type === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new CompileError(`${where}: "${raw}" is not true/false`);
    return raw === 'true';
  }
  return raw;
}
