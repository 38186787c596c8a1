// Runtime view of the compiled contract: the generated schemas compiled once with ajv, the rule
// registry, and validators whose every error is mapped to its rule id, table and parameter.

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { DataValidationCxt } from 'ajv/dist/types/index.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema, Operation, ReviewItem, RuleEntry, ConflictFinding } from './compiler/compile.ts';
import { breaks } from './rules.ts';

export type { JsonSchema, Operation, RuleEntry, RuleExpr } from './compiler/compile.ts';

export const GENERATED_DIR = fileURLToPath(new URL('./generated/', import.meta.url));

interface RegistryFile {
  operation: Operation;
  rules: RuleEntry[];
  review: ReviewItem[];
  conflicts: ConflictFinding[];
  decisions: { finding: string; decision: string; reason: string }[];
}

const readJson = (file: string) => JSON.parse(readFileSync(join(GENERATED_DIR, file), 'utf8'));
const registryFile = readJson('registry.json') as RegistryFile;

/** Every generated schema by name ("VpcHealthConfigInfo", "RequestBody", "Response201", ...). */
export const schemas: Record<string, JsonSchema> = Object.fromEntries(
  readdirSync(GENERATED_DIR)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()
    .map((f) => [f.replace('.schema.json', ''), readJson(f)]),
);

export const operation: Operation = registryFile.operation;
export const rules: readonly RuleEntry[] = registryFile.rules;
export const review: readonly ReviewItem[] = registryFile.review;
export const conflicts: readonly ConflictFinding[] = registryFile.conflicts;
export const decisions = registryFile.decisions;
const ruleById = new Map(rules.map((r) => [r.id, r]));

export function rule(id: string): RuleEntry {
  const r = ruleById.get(id);
  if (!r) throw new Error(`unknown rule id ${id}`);
  return r;
}
export const hasRule = (id: string) => ruleById.has(id);

/** sha256 of the generated files (order-stable), for reports. */
export const schemasSha256 = createHash('sha256')
  .update(
    readdirSync(GENERATED_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => readFileSync(join(GENERATED_DIR, f), 'utf8'))
      .join('\n'),
  )
  .digest('hex');

export interface Violation {
  ruleId: string;
  table: string;
  parameter: string;
  keyword: string;
  instancePath: string;
  message: string; // "/project_vpc_channels/0/port must be <= 65535 (got 70000)"
  text: string; // the page's words for the rule
}

// ajv and ajv-formats are CommonJS; under NodeNext their default export is the module object.
const Ajv2020 = Ajv2020Module as unknown as typeof Ajv2020Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false });
addFormats(ajv);
ajv.addVocabulary(['x-doc', 'x-grammar']);
ajv.addKeyword({
  keyword: 'x-rules',
  schemaType: 'array',
  errors: true,
  compile(ids: string[]) {
    const semantic = ids.map(rule);
    const validate = (data: unknown, cxt?: DataValidationCxt): boolean => {
      const errors: Partial<ErrorObject>[] = [];
      const place = cxt ? { root: cxt.rootData, pointer: cxt.instancePath } : undefined;
      for (const r of semantic) {
        const message = r.expr ? breaks(r.expr, data, place) : null;
        if (message) errors.push({ keyword: 'x-rules', message, params: { ruleId: r.id } });
      }
      (validate as unknown as { errors: Partial<ErrorObject>[] }).errors = errors;
      return errors.length === 0;
    };
    return validate;
  },
});
for (const s of Object.values(schemas)) ajv.addSchema(s);

const compiled = new Map<string, ValidateFunction>();
/** The compiled validator of one generated schema, compiled once. */
export function validatorFor(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const s = schemas[name];
    if (!s) throw new Error(`no generated schema named ${name}`);
    const found = ajv.getSchema(s.$id as string);
    if (!found) throw new Error(`schema ${name} did not compile`);
    compiled.set(name, found);
    v = found;
  }
  return v;
}

interface XDoc {
  id: string;
  table: string;
  parameter: string;
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

/** Maps one ajv error to the rule it breaks, through the x-doc of the schema that holds the keyword. */
function toViolation(e: ErrorObject): Violation {
  const doc = (e.parentSchema as { 'x-doc'?: XDoc } | undefined)?.['x-doc'];
  const where = e.instancePath || '(body)';
  let ruleId: string;
  if (e.keyword === 'x-rules') ruleId = (e.params as { ruleId: string }).ruleId;
  else if (e.keyword === 'required')
    ruleId = `${(doc?.id ?? 'unknown').split('.')[0]}.${(e.params as { missingProperty: string }).missingProperty}.required`;
  else ruleId = `${doc?.id ?? 'unknown'}.${e.keyword}`;
  const r = ruleById.get(ruleId);
  const got = e.keyword === 'required' || e.keyword === 'x-rules' ? '' : ` (got ${show(e.data)})`;
  return {
    ruleId,
    table: r?.table ?? doc?.table ?? 'unknown',
    parameter: r?.parameter ?? doc?.parameter ?? 'unknown',
    keyword: e.keyword,
    instancePath: e.instancePath,
    message: `${where} ${e.message}${got}`,
    text: r?.text ?? '',
  };
}

/** Violations of one generated schema, one per broken rule and place, in ajv's order. */
export function validate(name: string, data: unknown): Violation[] {
  const v = validatorFor(name);
  if (v(data)) return [];
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const e of v.errors ?? []) {
    const violation = toViolation(e);
    const key = `${violation.ruleId}@${violation.instancePath}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(violation);
  }
  return out;
}

export function validateRequestBody(body: unknown): Violation[] {
  return validate(operation.request.body!, body);
}

/** The schema name documenting a status, or undefined for an undocumented status. */
export function responseSchemaName(status: number): string | undefined {
  return operation.responses[String(status)];
}

export function validateResponseBody(status: number, body: unknown): Violation[] {
  const name = responseSchemaName(status);
  if (!name) throw new Error(`status ${status} has no documented body schema`);
  return validate(name, body);
}

/** The documented status codes (from the page's Status Codes table). */
export const documentedStatuses: readonly number[] = operation.statusCodes.map((s) => s.status);
