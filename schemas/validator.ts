// Validators for a set of compiled schemas and their rule registry: ajv compiles each schema once,
// and every error is mapped to its rule id, table and parameter. The runtime contract (index.ts)
// makes one for this repo's page; spec:check makes one for any page it is given.

import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { DataValidationCxt } from 'ajv/dist/types/index.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema, RuleEntry } from './compiler/compile.ts';
import { breaks } from './rules.ts';

export interface Violation {
  ruleId: string;
  table: string;
  parameter: string;
  keyword: string;
  instancePath: string;
  message: string; // "/project_vpc_channels/0/port must be <= 65535 (got 70000)"
  text: string; // the page's words for the rule
}

export interface Validators {
  validatorFor(name: string): ValidateFunction;
  /** Violations of one schema, one per broken rule and place, in ajv's order. */
  validate(name: string, data: unknown): Violation[];
}

// ajv and ajv-formats are CommonJS; under NodeNext their default export is the module object.
const Ajv2020 = Ajv2020Module as unknown as typeof Ajv2020Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The annotation keywords the compiler writes (provenance and grammars), which ajv only carries. */
export const ANNOTATIONS = ['x-doc', 'x-grammar', 'x-list', 'x-stricter'];

export function createValidators(schemas: Record<string, JsonSchema>, rules: readonly RuleEntry[]): Validators {
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const rule = (id: string) => {
    const r = ruleById.get(id);
    if (!r) throw new Error(`unknown rule id ${id}`);
    return r;
  };
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false });
  addFormats(ajv);
  ajv.addVocabulary(ANNOTATIONS);
  ajv.addKeyword({
    keyword: 'x-rules',
    schemaType: 'array',
    errors: true,
    compile(ids: string[]) {
      const semantic = ids.map(rule);
      const validate = (data: unknown, cxt?: DataValidationCxt): boolean => {
        const errors: Partial<ErrorObject>[] = [];
        // Where the object sits in the whole instance, for conditions on an enclosing object.
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
  const validatorFor = (name: string): ValidateFunction => {
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
  };
  const validate = (name: string, data: unknown): Violation[] => {
    const v = validatorFor(name);
    if (v(data)) return [];
    const seen = new Set<string>();
    const out: Violation[] = [];
    for (const e of v.errors ?? []) {
      const violation = toViolation(e, ruleById);
      const key = `${violation.ruleId}@${violation.instancePath}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(violation);
    }
    return out;
  };
  return { validatorFor, validate };
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
function toViolation(e: ErrorObject, ruleById: Map<string, RuleEntry>): Violation {
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
