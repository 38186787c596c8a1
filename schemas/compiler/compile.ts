// Page model + errata -> JSON Schemas (draft 2020-12), one per documented object, and the rule
// registry: one stable id per constraint and rule, each with the table, parameter and words it
// comes from. Nothing here knows this particular page; the errata file carries the human decisions.

import { parsePage, type Page, type Row, type Table } from './parse-page.ts';
import { readDescription, soundsLikeRule, type CrossRule, type Reading } from './read-description.ts';
import { boundSides, listOf, patternOf } from './keywords.ts';
import { conflictMessage, settleBound } from './bounds.ts';
import { conditionField, conditionValues, type ConditionMapping, type Referrers } from './conditions.ts';

export const SCHEMA_BASE = 'https://roma-vpc-sync.conformance.invalid/schemas/';
export const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export type JsonSchema = { [key: string]: unknown };

export interface RuleEntry {
  id: string;
  kind: 'schema' | 'semantic' | 'status' | 'auth' | 'protocol' | 'transport';
  table: string;
  parameter: string;
  keyword?: string;
  value?: unknown;
  text: string; // the page's words
  source: string; // "page", "SDK model", "vendor API definition", "policy N", ...
  reason?: string; // why, when the source is not the page alone
  inference?: boolean;
  expr?: RuleExpr;
}

export type RuleExpr =
  | { op: 'lt'; left: string; right: string }
  | {
      op: 'requiredIf';
      field: string;
      when: string;
      in: (string | number | boolean)[];
      /** The condition's field is on an enclosing object; `path` leads from it down to this one ("*": items). */
      enclosing?: { object: string; table: string; path: string[] };
    }
  | { op: 'rangesAscending'; field: string };

export interface ReviewItem {
  table: string;
  parameter: string;
  line: number;
  text: string;
  why: string;
}

export interface ConflictFinding {
  id: string;
  table: string;
  parameter: string;
  sides: { text: string; line: number; value: unknown }[];
  resolvedTo: unknown;
  reason: string;
  stricter?: unknown; // an undecided conflict: the value valid values are generated within
  decided?: false;
}

export interface Operation {
  method: string;
  path: string;
  title: string;
  statusCodes: { status: number; description: string }[];
  request: { path?: string; query?: string; headers?: string; body?: string };
  responses: Record<string, string>; // status -> schema name
  examples: { kind: 'request' | 'response'; status?: number; json: unknown; line: number }[];
  objects: Record<string, { table: string; title: string }>; // schema name -> its table
}

export interface Errata {
  required: { table: string; properties: string[]; source: string; reason: string }[];
  overrides: {
    table: string;
    parameters: string[];
    set: Record<string, unknown>;
    replaces?: unknown;
    source: string;
    reason: string;
  }[];
  rules: { id: string; set: { in: string[] }; source: string; reason: string }[];
  conflicts: { id: string; value: unknown; reason: string }[];
  decisions: { finding: string; decision: string; reason: string }[];
  pageRules: (Omit<RuleEntry, 'kind'> & { kind: RuleEntry['kind']; quote: string })[];
  /** Words that name a condition's field indirectly ("the backend instance type" -> Table 5 member_type). */
  conditions?: ConditionMapping[];
  /** The vendor's name of the operation, which the page does not print. */
  operation?: { operationId: string; source: string; reason: string };
}

export interface Compiled {
  page: Page;
  operationId: string; // the errata's, or made of the page title
  operation: Operation;
  schemas: Record<string, JsonSchema>;
  registry: RuleEntry[];
  review: ReviewItem[];
  conflicts: ConflictFinding[];
}

export class CompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompileError';
  }
}

const snake = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join('') || 'Operation';

/** The schema name of a table: its title when it names an object, else its role on the page. */
function objectName(t: Table): string {
  if (/^[A-Z][A-Za-z0-9]+$/.test(t.title)) return t.title;
  if (/query/i.test(t.title)) return 'QueryParameters';
  if (t.section === 'URI' || /path/i.test(t.title)) return 'PathParameters';
  if (/header/i.test(t.title)) return 'RequestHeaders';
  if (t.status !== undefined) return `Response${t.status}`;
  if (/body/i.test(t.title)) return 'RequestBody';
  throw new CompileError(
    `${t.name} "${t.title}": cannot tell which object it documents (not an object name, header, path, body or status table)`,
  );
}

function typeOf(row: Row, table: Table, names: Map<string, string>): JsonSchema {
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

export interface CompileOptions {
  /** Stop at a bound the page states twice with two values and the errata do not decide. */
  strict?: boolean;
}

export function compile(pageText: string, errata: Errata, opts: CompileOptions = {}): Compiled {
  const page = parsePage(pageText);
  const names = new Map<string, string>();
  const tableOf = new Map<string, Table>();
  for (const t of page.tables) {
    const name = objectName(t);
    if (tableOf.has(name)) throw new CompileError(`${t.name}: a second table documents ${name}`);
    names.set(t.title, name);
    tableOf.set(name, t);
  }
  const referenced = new Set<string>();
  const registry = new Map<string, RuleEntry>();
  const review: ReviewItem[] = [];
  const conflicts: ConflictFinding[] = [];
  const schemas: Record<string, JsonSchema> = {};

  const add = (e: RuleEntry) => {
    if (registry.has(e.id)) throw new CompileError(`rule id ${e.id} is defined twice`);
    registry.set(e.id, e);
  };
  const referrers: Referrers = new Map();
  const pending: { name: string; t: Table; readings: Map<string, Reading>; rules: string[] }[] = [];

  for (const [name, t] of tableOf) {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    const rules: string[] = [];
    const readings = new Map<string, Reading>();
    pending.push({ name, t, readings, rules });
    for (const row of t.rows) {
      if (properties[row.parameter])
        throw new CompileError(`${t.name}: parameter "${row.parameter}" appears twice (line ${row.line})`);
      const reading = readDescription(row);
      readings.set(row.parameter, reading);
      const id = `${t.id}.${snake(row.parameter)}`;
      const prop = typeOf(row, t, names);
      const base = { table: t.name, parameter: row.parameter, source: 'page' };
      add({
        id: `${id}.type`,
        kind: 'schema',
        keyword: 'type',
        value: prop.type,
        text: `${row.parameter}: ${row.type}`,
        ...base,
      });
      if (prop.format)
        add({
          id: `${id}.format`,
          kind: 'schema',
          keyword: 'format',
          value: prop.format,
          text: `${row.parameter}: ${row.type}`,
          ...base,
        });
      const items = prop.items as JsonSchema | undefined;
      if (items) {
        items['x-doc'] = { id: `${id}.items`, table: t.name, parameter: `${row.parameter}[]`, text: row.type };
        add({
          id: `${id}.items.type`,
          kind: 'schema',
          keyword: 'type',
          value: items.type,
          text: `${row.parameter}: ${row.type}`,
          ...base,
          parameter: `${row.parameter}[]`,
        });
      }
      for (const [target, path] of [
        [prop.$ref, [row.parameter]],
        [items?.$ref, [row.parameter, '*']],
      ] as const) {
        if (typeof target !== 'string') continue;
        const object = target.replace('.schema.json', '');
        referenced.add(object);
        referrers.set(object, [...(referrers.get(object) ?? []), { from: name, path: [...path] }]);
      }
      const where = `${t.name} "${row.parameter}" (line ${row.line})`;
      const type = prop.type;
      const constrain = (keyword: string, value: unknown, text: string) => {
        (prop as JsonSchema)[keyword] = value;
        add({ id: `${id}.${keyword}`, kind: 'schema', keyword, value, text, ...base });
      };

      if (reading.enum) {
        try {
          const values = reading.enum.value.map((v) => typed(v, type, where));
          constrain('enum', values, reading.enum.text);
        } catch (e) {
          if (reading.enumFrom !== 'words') throw e;
          const why = `values in words that are not ${String(type)}s`;
          review.push({
            table: t.name,
            parameter: row.parameter,
            line: reading.enum.line,
            text: reading.enum.text,
            why,
          });
        }
      }

      // Bounds may be stated twice (a "Minimum:" line and words); they must agree or be decided in the errata.
      const isString = type === 'string';
      const lowKey = isString ? 'minLength' : type === 'array' ? 'minItems' : 'minimum';
      const highKey = isString ? 'maxLength' : type === 'array' ? 'maxItems' : 'maximum';
      const bound = (keyword: string, sides: { value: number; text: string; line: number }[]) => {
        if (sides.length === 0) return;
        const distinct = [...new Set(sides.map((s) => s.value))];
        if (distinct.length === 1) return constrain(keyword, distinct[0], sides.map((s) => s.text).join(' / '));
        const decision = errata.conflicts.find((c) => c.id === `${id}.${keyword}`);
        if (!decision && opts.strict)
          throw new CompileError(conflictMessage(where, keyword, sides, `${id}.${keyword}`));
        const settled = settleBound(keyword, sides, decision);
        conflicts.push({
          id: `${id}.${keyword}`,
          table: t.name,
          parameter: row.parameter,
          sides,
          resolvedTo: settled.value,
          reason: settled.reason,
          ...(settled.stricter === undefined ? {} : { stricter: settled.stricter, decided: false }),
        });
        (prop as JsonSchema)[keyword] = settled.value;
        if (settled.stricter !== undefined)
          prop['x-stricter'] = { ...(prop['x-stricter'] as object), [keyword]: settled.stricter };
        add({
          id: `${id}.${keyword}`,
          kind: 'schema',
          keyword,
          value: settled.value,
          text: sides.map((s) => s.text).join(' / '),
          ...base,
          source: settled.source,
          reason: settled.reason,
        });
      };
      const toReview = (line: number, text: string, why: string) =>
        review.push({ table: t.name, parameter: row.parameter, line, text, why });
      const sides = boundSides(reading, String(type), toReview);
      bound(lowKey, sides.lows);
      bound(highKey, sides.highs);

      const pattern = patternOf(reading, String(type), toReview);
      if (pattern) constrain('pattern', pattern.value, pattern.text);
      const g = reading.integerList?.value;
      if (g && isString) {
        // The grammar as data too, so generators can build values without reading the regex back.
        prop['x-grammar'] = { integerList: g };
        if (g.ranges) {
          add({
            id: `${id}.range_order`,
            kind: 'semantic',
            table: t.name,
            parameter: row.parameter,
            text: reading.integerList!.text,
            source: 'page',
            expr: { op: 'rangesAscending', field: row.parameter },
          });
          rules.push(`${id}.range_order`);
        }
      }
      const list = listOf(reading, String(type), toReview);
      if (list) constrain('x-list', list.value, list.text);
      if (reading.default) {
        const fromLine = /^Default:/.test(reading.default.text);
        try {
          (prop as JsonSchema).default = typed(reading.default.value, type, where);
        } catch (e) {
          if (fromLine) throw e;
          toReview(reading.default.line, reading.default.text, `a default in words that is not a ${String(type)}`);
        }
      }
      if (row.mandatory) {
        required.push(row.parameter);
        add({
          id: `${id}.required`,
          kind: 'schema',
          keyword: 'required',
          text: `${row.parameter}: Mandatory Yes`,
          ...base,
        });
      }
      for (const r of reading.review)
        review.push({ table: t.name, parameter: row.parameter, line: r.line, text: r.text, why: r.why });
      prop['x-doc'] = { id, table: t.name, parameter: row.parameter, text: reading.summary };
      properties[row.parameter] = prop;
    }

    const schema: JsonSchema = {
      $schema: DIALECT,
      $id: `${SCHEMA_BASE}${name}.schema.json`,
      title: `${t.name} ${t.title}`,
      'x-doc': { id: `${t.id}.body`, table: t.name, parameter: '(body)', text: `${t.name} ${t.title}` },
      type: 'object',
      properties,
    };
    if (required.length) schema.required = required;
    schemas[name] = schema;
  }

  // Cross-field rules, once every object is known (a condition may sit on an enclosing object).
  const ctx: CrossContext = { errata, schemas, tableOf, referrers, add, registry, review };
  for (const p of pending) {
    for (const [param, reading] of p.readings)
      for (const c of reading.cross) crossRule(ctx, p.name, p.t, param, c, p.rules);
    if (p.rules.length) schemas[p.name]['x-rules'] = p.rules;
  }

  // Objects only reached through a $ref get their "object" check on the referring property instead.
  for (const name of referenced) {
    delete schemas[name].type;
    const t = tableOf.get(name)!;
    schemas[name]['x-doc'] = { id: t.id, table: t.name, parameter: `(${t.title})`, text: `${t.name} ${t.title}` };
  }
  for (const name of Object.keys(schemas))
    if (!referenced.has(name))
      add({
        id: `${tableOf.get(name)!.id}.body.type`,
        kind: 'schema',
        keyword: 'type',
        value: 'object',
        table: tableOf.get(name)!.name,
        parameter: '(body)',
        text: `${tableOf.get(name)!.name} ${tableOf.get(name)!.title}`,
        source: 'page',
      });

  applyErrata(errata, page, pageText, tableOf, schemas, registry, conflicts);

  const operation: Operation = {
    method: page.method,
    path: page.path,
    title: page.title,
    statusCodes: page.statusCodes,
    request: {
      path: tableOf.has('PathParameters') ? 'PathParameters' : undefined,
      query: tableOf.has('QueryParameters') ? 'QueryParameters' : undefined,
      headers: tableOf.has('RequestHeaders') ? 'RequestHeaders' : undefined,
      body: tableOf.has('RequestBody') ? 'RequestBody' : undefined,
    },
    responses: Object.fromEntries(
      [...tableOf]
        .filter(
          ([, t]) => t.status !== undefined && t.section === 'Response Parameters' && !referenced.has(objectName(t)),
        )
        .map(([n, t]) => [String(t.status), n]),
    ),
    examples: page.examples,
    objects: Object.fromEntries([...tableOf].map(([n, t]) => [n, { table: t.name, title: t.title }])),
  };
  for (const s of page.statusCodes) {
    if (!operation.responses[String(s.status)])
      review.push({
        table: 'Status Codes',
        parameter: String(s.status),
        line: 0,
        text: `${s.status} ${s.description}`,
        why: 'a documented status without a body table',
      });
  }
  // Operation-level words (the Function section) that sound like rules are for human review too.
  for (const text of page.functionText.flatMap((l) => l.split(/(?<=[.!?])\s+(?=[A-Z])/))) {
    if (soundsLikeRule(text))
      review.push({
        table: 'Function',
        parameter: '(operation)',
        line: 0,
        text,
        why: 'a condition on the operation that no request parameter carries',
      });
  }
  const sorted = [...registry.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const operationId = errata.operation?.operationId ?? pascal(page.title);
  return { page, operationId, operation, schemas, registry: sorted, review, conflicts };
}

interface CrossContext {
  errata: Errata;
  schemas: Record<string, JsonSchema>;
  tableOf: Map<string, Table>;
  referrers: Referrers;
  add: (e: RuleEntry) => void;
  registry: Map<string, RuleEntry>;
  review: ReviewItem[];
}

/** One cross-field sentence of row `param` in table `t` (schema `name`): a rule, or a review item. */
function crossRule(ctx: CrossContext, name: string, t: Table, param: string, c: CrossRule, rules: string[]): void {
  const props = (object: string) => ctx.schemas[object].properties as Record<string, JsonSchema>;
  const toReview = (why: string) =>
    ctx.review.push({ table: t.name, parameter: param, line: c.line, text: c.text, why });
  if (c.kind === 'lt') {
    const missing = [c.self, c.other].find((p) => !props(name)[p]);
    if (missing) return void toReview(`the rule names "${missing}", which is not a parameter of ${t.name}`);
    const rid = `${t.id}.${snake(c.self)}.lt_${snake(c.other)}`;
    const existing = ctx.registry.get(rid);
    if (existing) return void (existing.text = `${existing.text} / ${param}: ${c.text}`);
    ctx.add({
      id: rid,
      kind: 'semantic',
      table: t.name,
      parameter: c.self,
      text: `${param}: ${c.text}`,
      source: 'page',
      expr: { op: 'lt', left: c.self, right: c.other },
    });
    return void rules.push(rid);
  }
  const tableName = (object: string) => ctx.tableOf.get(object)!.name;
  const mappings = ctx.errata.conditions ?? [];
  const on = conditionField(c.subject, name, t.name, tableName, props, ctx.referrers, mappings);
  if (typeof on === 'string') return void toReview(on);
  const values = conditionValues(on.field, props(on.object)[on.field], c.equals);
  if (typeof values === 'string') return void toReview(values);
  const rid = `${t.id}.${snake(c.self)}.required_if_${snake(on.field)}`;
  const enclosing = on.path.length ? { object: on.object, table: tableName(on.object), path: on.path } : undefined;
  ctx.add({
    id: rid,
    kind: 'semantic',
    table: t.name,
    parameter: c.self,
    text: c.text,
    source: on.mapped ? 'page + errata' : 'page',
    ...(on.mapped
      ? { reason: `"${on.mapped.words}" is ${on.mapped.field.table} ${on.field}: ${on.mapped.reason}` }
      : {}),
    expr: { op: 'requiredIf', field: c.self, when: on.field, in: values, ...(enclosing ? { enclosing } : {}) },
  });
  rules.push(rid);
}

function applyErrata(
  errata: Errata,
  page: Page,
  pageText: string,
  tableOf: Map<string, Table>,
  schemas: Record<string, JsonSchema>,
  registry: Map<string, RuleEntry>,
  conflicts: ConflictFinding[],
): void {
  const byTable = (tableName: string) => [...tableOf].filter(([, t]) => tableName === '*' || t.name === tableName);
  const propsOf = (name: string) => schemas[name].properties as Record<string, JsonSchema>;

  for (const r of errata.required) {
    const found = byTable(r.table);
    if (found.length !== 1) throw new CompileError(`errata "required": no table ${r.table}`);
    const [name, t] = found[0];
    const schema = schemas[name];
    const required = (schema.required as string[] | undefined) ?? [];
    for (const p of r.properties) {
      if (!propsOf(name)[p]) throw new CompileError(`errata "required": ${t.name} has no parameter ${p}`);
      if (!required.includes(p)) required.push(p);
      registry.set(`${t.id}.${snake(p)}.required`, {
        id: `${t.id}.${snake(p)}.required`,
        kind: 'schema',
        keyword: 'required',
        table: t.name,
        parameter: p,
        text: `${p} is always present`,
        source: r.source,
        reason: r.reason,
      });
    }
    schema.required = required;
  }

  for (const o of errata.overrides) {
    const hit = new Set<string>();
    for (const [name, t] of byTable(o.table)) {
      for (const p of o.parameters) {
        const prop = propsOf(name)[p];
        if (!prop) continue;
        hit.add(p);
        for (const [keyword, value] of Object.entries(o.set)) {
          if (o.replaces !== undefined && JSON.stringify(prop[keyword]) !== JSON.stringify(o.replaces)) {
            throw new CompileError(
              `errata override of ${t.name} ${p}.${keyword}: expected the page to give ${JSON.stringify(o.replaces)}, it gives ${JSON.stringify(prop[keyword])}; review the entry`,
            );
          }
          const id = `${t.id}.${snake(p)}.${keyword}`;
          const previous = registry.get(id);
          prop[keyword] = value;
          registry.set(id, {
            id,
            kind: 'schema',
            keyword,
            value,
            table: t.name,
            parameter: p,
            text: previous
              ? `${previous.text} (page) -> ${o.source}`
              : `${o.source}: ${keyword} ${JSON.stringify(value)}`,
            source: o.source,
            reason: o.reason,
          });
        }
      }
    }
    const missing = o.parameters.filter((p) => !hit.has(p));
    if (missing.length)
      throw new CompileError(`errata override for ${o.table} ${missing.join(', ')}: no such parameter on the page`);
  }

  for (const r of errata.rules) {
    const rule = registry.get(r.id);
    if (rule?.expr?.op !== 'requiredIf')
      throw new CompileError(`errata rule ${r.id}: the page yields no such required-if rule`);
    rule.expr = { ...rule.expr, in: r.set.in };
    rule.source = r.source;
    rule.reason = r.reason;
  }

  for (const m of errata.conditions ?? []) {
    const t = page.tables.find((x) => x.name === m.table);
    const words = m.words.toLowerCase();
    if (!t?.rows.some((r) => r.description.some((d) => d.text.toLowerCase().includes(words))))
      throw new CompileError(`errata condition "${m.words}": no row of ${m.table} uses these words any more`);
  }

  for (const c of errata.conflicts) {
    if (!conflicts.some((k) => k.id === c.id))
      throw new CompileError(`errata conflict ${c.id}: the page states no such conflict any more`);
  }

  for (const pr of errata.pageRules) {
    if (!pageText.includes(pr.quote))
      throw new CompileError(`errata page rule ${pr.id}: its quote "${pr.quote}" is no longer on the page`);
    const { quote: _quote, ...entry } = pr;
    const value = pr.id === 'status_codes.documented' ? page.statusCodes.map((s) => s.status) : undefined;
    registry.set(pr.id, value === undefined ? entry : { ...entry, value });
  }
}
