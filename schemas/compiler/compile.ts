// Page model + errata -> JSON Schemas (draft 2020-12), one per documented object, and the rule
// registry: one stable id per constraint and rule, each with the table, parameter and words it
// comes from. Nothing here knows this particular page; the errata file carries the human decisions.

import type { OpenApiErrata } from './openapi-examples.ts';
import { parsePage, type Page, type Table } from './parse-page.ts';
import { soundsLikeRule, type CrossRule, type Reading } from './read-description.ts';
import { CompileError } from './errors.ts';
import { compileRow, type RowContext, snake } from './rows.ts';

export { CompileError };
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
  /** What the OpenAPI export needs that the page does not say: parameter examples, example corrections. */
  openapi?: OpenApiErrata;
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

const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join('') || 'Operation';

/** The schema name of a table: its title when it names an object, else its role on the page. */
function objectName(t: Table): string {
  if (/^[A-Z][A-Za-z0-9]+$/.test(t.title)) return t.title;
  const object = /^([A-Z][a-z0-9]*[A-Z][A-Za-z0-9]*) (?:fields|parameters|object)$/.exec(t.title);
  if (object) return object[1]; // "ItemInfo fields"
  // Under a status code, a table is that response's (its headers or its body) whatever its words.
  if (t.status !== undefined) return /header/i.test(t.title) ? `Response${t.status}Headers` : `Response${t.status}`;
  if (/query/i.test(t.title)) return 'QueryParameters';
  if (t.section === 'URI' || /path/i.test(t.title)) return 'PathParameters';
  if (/header/i.test(t.title)) return 'RequestHeaders';
  if (t.status !== undefined) return `Response${t.status}`;
  if (/body/i.test(t.title)) return 'RequestBody';
  throw new CompileError(
    `${t.name} "${t.title}": cannot tell which object it documents (not an object name, header, path, body or status table)`,
  );
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
    if (!names.has(name)) names.set(name, name); // "Array of ItemInfo objects" names the "ItemInfo fields" table
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
  const b: RowContext = { errata, strict: opts.strict === true, names, add, review, conflicts, referenced, referrers };
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
      const { prop, reading } = compileRow(b, name, t, row, rules);
      readings.set(row.parameter, reading);
      if (row.mandatory) required.push(row.parameter);
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

  const operation = operationOf(page, tableOf, referenced);
  review.push(...operationReview(page, operation), ...placeholderReview(operation, schemas));
  const sorted = [...registry.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const operationId = errata.operation?.operationId ?? pascal(page.title);
  return { page, operationId, operation, schemas, registry: sorted, review, conflicts };
}

/** The operation the page documents: its route, which schema is which part of the request, the responses. */
function operationOf(page: Page, tableOf: Map<string, Table>, referenced: Set<string>): Operation {
  return {
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
          ([n, t]) =>
            t.status !== undefined &&
            t.section === 'Response Parameters' &&
            !referenced.has(n) &&
            !n.endsWith('Headers'),
        )
        .map(([n, t]) => [String(t.status), n]),
    ),
    examples: page.examples,
    objects: Object.fromEntries([...tableOf].map(([n, t]) => [n, { table: t.name, title: t.title }])),
  };
}

/** Statuses without a body table, and Function words that sound like rules, for human review. */
function operationReview(page: Page, operation: Operation): ReviewItem[] {
  const review: ReviewItem[] = [];
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
  return review;
}

/** URI placeholders the path parameters table leaves out: the OpenAPI export would have no parameter for them. */
function placeholderReview(operation: Operation, schemas: Record<string, JsonSchema>): ReviewItem[] {
  const name = operation.request.path;
  if (!name) return []; // no path table at all: spec:check says so (uri.path_parameters)
  const documented = Object.keys(schemas[name].properties as object);
  return [...operation.path.matchAll(/\{([^}]+)\}/g)]
    .map((m) => m[1])
    .filter((p) => !documented.includes(p))
    .map((p) => ({
      table: operation.objects[name].table,
      parameter: p,
      line: 0,
      text: `${operation.method} ${operation.path}`,
      why: `the URI placeholder {${p}} is documented in no path parameters table`,
    }));
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
