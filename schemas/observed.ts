// Which rules a value gave evidence for: walking a body beside its generated schema, every keyword
// whose field is present names its rule (`table5.port.maximum` when `port` is there), so a check can
// say which rules held, not just that the body was valid. Also which answers each rule speaks of,
// for the coverage matrix: a response rule belongs to the status whose tables hold it.

import { documentedStatuses, hasRule, responseSchemaName, rule, rules, schemas, type JsonSchema } from './index.ts';
import { applies } from './rules.ts';

export interface Observed {
  schema: string[]; // keyword rules whose field was present (type, enum, maximum, required, ...)
  crossField: string[]; // semantic rules whose fields were all present
}

type Doc = { id: string; table: string };
const NOT_RULES = new Set(['properties', 'items', '$ref', '$id', '$schema', 'title', 'default', 'required']);
const target = (s: JsonSchema): JsonSchema | undefined =>
  typeof s.$ref === 'string' ? schemas[s.$ref.replace('.schema.json', '')] : undefined;

type Out = { schema: Set<string>; crossField: Set<string>; root: unknown };
const step = (pointer: string, key: string | number) =>
  `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** What the walk needs of one schema object, worked out once per object (a body may hold thousands of them). */
interface Node {
  keywordRules: string[]; // the rules its keywords state, e.g. table5.port.maximum
  requiredRules: [property: string, ruleId: string][];
  ref: JsonSchema | undefined;
  items: JsonSchema | undefined;
  props: Record<string, JsonSchema>;
  crossField: string[]; // its x-rules
}
const nodes = new WeakMap<JsonSchema, Node>();

function nodeOf(s: JsonSchema): Node {
  let n = nodes.get(s);
  if (n) return n;
  const doc = s['x-doc'] as Doc | undefined;
  // Required-property rules take the table of the object that lists them, as the validator names them.
  const table = doc?.id.split('.')[0];
  n = {
    keywordRules: doc
      ? Object.keys(s)
          .filter((k) => !NOT_RULES.has(k) && !k.startsWith('x-'))
          .map((k) => `${doc.id}.${k}`)
          .filter(hasRule)
      : [],
    requiredRules: ((s.required as string[] | undefined) ?? [])
      .map((p): [string, string] => [p, `${table}.${p}.required`])
      .filter(([, id]) => hasRule(id)),
    ref: target(s),
    items: s.items as JsonSchema | undefined,
    props: (s.properties ?? {}) as Record<string, JsonSchema>,
    crossField: (s['x-rules'] as string[] | undefined) ?? [],
  };
  nodes.set(s, n);
  return n;
}

function walk(s: JsonSchema, v: unknown, pointer: string, out: Out): void {
  const n = nodeOf(s);
  for (const id of n.keywordRules) out.schema.add(id);
  if (n.ref) walk(n.ref, v, pointer, out);
  if (Array.isArray(v)) {
    if (n.items) for (const [i, x] of v.entries()) walk(n.items, x, step(pointer, i), out);
    return;
  }
  if (!v || typeof v !== 'object') return;
  const o = v as Record<string, unknown>;
  for (const [p, id] of n.requiredRules) if (p in o) out.schema.add(id);
  for (const [k, x] of Object.entries(o)) if (n.props[k]) walk(n.props[k], x, step(pointer, k), out);
  for (const id of n.crossField) {
    const expr = rule(id).expr;
    if (expr && applies(expr, o, { root: out.root, pointer })) out.crossField.add(id);
  }
}

/** The rules of one generated schema that applied to `value` (held or not: subtract the violations). */
export function observedRules(schemaName: string, value: unknown): Observed {
  const out: Out = { schema: new Set<string>(), crossField: new Set<string>(), root: value };
  walk(schemas[schemaName], value, '', out);
  return { schema: [...out.schema].sort(), crossField: [...out.crossField].sort() };
}

/** Every table a schema reaches, through its properties, items and references. */
function tablesOf(s: JsonSchema, seen = new Set<JsonSchema>(), out = new Set<string>()): Set<string> {
  if (seen.has(s)) return out;
  seen.add(s);
  const doc = s['x-doc'] as Doc | undefined;
  if (doc) out.add(doc.table);
  const next = [target(s), s.items, ...Object.values((s.properties ?? {}) as Record<string, JsonSchema>)];
  for (const n of next) if (n && typeof n === 'object') tablesOf(n as JsonSchema, seen, out);
  return out;
}

/**
 * Which answers a rule speaks of: the statuses whose response tables hold it; `answer` for rules of
 * every answer (status codes, content type, transport); `case` for the rest (request rules, auth,
 * sync semantics), which only a case aimed at them, or a check that reports them, exercises.
 */
export type RuleScope = number[] | 'answer' | 'case';
export interface RuleInfo {
  id: string;
  table: string;
  parameter: string;
  scope: RuleScope;
}

export function ruleCatalogue(): RuleInfo[] {
  const byTable = new Map<string, number[]>();
  for (const status of documentedStatuses) {
    const name = responseSchemaName(status);
    if (!name) continue;
    for (const t of tablesOf(schemas[name])) byTable.set(t, [...(byTable.get(t) ?? []), status]);
  }
  return rules.map((r) => ({
    id: r.id,
    table: r.table,
    parameter: r.parameter,
    scope: ['status', 'protocol', 'transport'].includes(r.kind) ? 'answer' : (byTable.get(r.table) ?? 'case'),
  }));
}
