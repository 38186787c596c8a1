// Conditional requirements ("required if protocol is set to http", "mandatory when the backend
// instance type is ECS"): which field the words name, on the same object or on an enclosing one,
// and which of its documented values they mean. Words that name no field exactly go to review,
// unless the errata map them ("conditions").

import type { JsonSchema } from './compile.ts';

/** Where an object sits under another: property names, "*" for the items of an array. */
export type Path = string[];

/** How objects reference each other: object name -> who refers to it, and by which property. */
export type Referrers = Map<string, { from: string; path: Path }[]>;

export interface ConditionMapping {
  table: string; // the table whose rows use the words
  words: string; // "the backend instance type"
  field: { table: string; parameter: string };
  source: string;
  reason: string;
}

export interface ConditionField {
  object: string; // the schema holding the field
  field: string;
  path: Path; // from that object down to the one the rule is on; [] for the same object
  mapped?: ConditionMapping;
}

/** Objects enclosing `name`, nearest first, each with the path from it down to `name` (no cycles). */
export function enclosingObjects(referrers: Referrers, name: string): { object: string; path: Path; depth: number }[] {
  const out: { object: string; path: Path; depth: number }[] = [];
  let level = [{ object: name, path: [] as Path, seen: new Set([name]) }];
  for (let depth = 1; level.length > 0; depth++) {
    const next: typeof level = [];
    for (const at of level)
      for (const r of referrers.get(at.object) ?? []) {
        if (at.seen.has(r.from)) continue;
        const step = { object: r.from, path: [...r.path, ...at.path], seen: new Set([...at.seen, r.from]) };
        next.push(step);
        out.push({ object: step.object, path: step.path, depth });
      }
    level = next;
  }
  return out;
}

/** "the member type" -> ["member type", "member_type"]: the names the words could be, exactly. */
function namesIn(subject: string): string[] {
  const bare = subject
    .replace(/^the\s+/i, '')
    .replace(/^value\s+of\s+(?:the\s+)?/i, '')
    .replace(/\s+(parameter|field|value)$/i, '')
    .trim();
  return [...new Set([bare, bare.replace(/\s+/g, '_')])];
}

/**
 * The field a subject names: an errata mapping first, then a parameter of the same object, then of the
 * nearest enclosing object that has one. A string is the reason it could not be resolved.
 */
export function conditionField(
  subject: string,
  object: string,
  table: string,
  tableOf: (object: string) => string,
  properties: (object: string) => Record<string, JsonSchema>,
  referrers: Referrers,
  mappings: ConditionMapping[],
): ConditionField | string {
  const around = [{ object, path: [] as Path, depth: 0 }, ...enclosingObjects(referrers, object)];
  const mapped = mappings.find((m) => m.table === table && m.words.toLowerCase() === subject.toLowerCase());
  if (mapped) {
    const hits = around.filter((a) => tableOf(a.object) === mapped.field.table);
    if (hits.length !== 1 || !properties(hits[0].object)[mapped.field.parameter])
      return `the errata map "${subject}" to ${mapped.field.table} ${mapped.field.parameter}, which is not a parameter of ${table} or of exactly one object enclosing it`;
    return { object: hits[0].object, field: mapped.field.parameter, path: hits[0].path, mapped };
  }
  const names = namesIn(subject);
  for (let depth = 0; depth <= Math.max(0, ...around.map((a) => a.depth)); depth++) {
    const hits = around.flatMap((a) =>
      a.depth === depth
        ? names.filter((n) => properties(a.object)[n]).map((field) => ({ object: a.object, field, path: a.path }))
        : [],
    );
    if (hits.length === 1) return hits[0];
    if (hits.length > 1)
      return `"${subject}" could be ${hits.map((h) => `${tableOf(h.object)} ${h.field}`).join(' or ')}`;
  }
  return `"${subject}" names no parameter of ${table} or of an object enclosing it (map the words in the errata "conditions")`;
}

/** The documented values the words mean ("http" -> "HTTP", "ECS" -> "ecs"), or why they mean none. */
export function conditionValues(
  field: string,
  prop: JsonSchema,
  words: string[],
): (string | number | boolean)[] | string {
  const values = prop.enum as (string | number | boolean)[] | undefined;
  if (values) {
    const out = words.map((w) => values.find((v) => String(v).toLowerCase() === w.toLowerCase()));
    const missing = words.filter((_, i) => out[i] === undefined);
    if (missing.length === 0) return out as (string | number | boolean)[];
    return `${missing.map((w) => `"${w}"`).join(', ')} is not a value of ${field} (${values.join(', ')})`;
  }
  if (prop.type === 'boolean' && words.every((w) => /^(true|false)$/i.test(w)))
    return words.map((w) => w.toLowerCase() === 'true');
  return `${field} has no documented values to hold ${words.map((w) => `"${w}"`).join(', ')} against`;
}
