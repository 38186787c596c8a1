// Validators for a set of compiled schemas and their rule registry: every schema compiled once by ajv,
// and every error mapped to its rule id, table and parameter. The runtime contract (index.ts) loads
// this repo's schemas precompiled (validators.cjs, ajv's standalone code, written by `npm run schemas`),
// so a run never loads or runs ajv's compiler; spec:check and the build compile any page they are given.

import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv/dist/2020.js';
import type { ErrorObject, KeywordCxt, KeywordDefinition } from 'ajv/dist/2020.js';
import type addFormatsModule from 'ajv-formats';
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

/** A compiled schema: true when the data is valid, else false with ajv's errors in `errors`. */
export type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

export interface Validators {
  validatorFor(name: string): Validator;
  /** Violations of one schema, one per broken rule and place, in ajv's order. */
  validate(name: string, data: unknown): Violation[];
}

/** What ajv's compiled code calls for the x-rules keyword (it is compiled with passContext: this object is `this`). */
interface RulesContext {
  xRules(ids: string[], data: unknown, root: unknown, pointer: string): { ruleId: string; message: string }[];
}
type Compiled = ((this: RulesContext, data: unknown) => boolean) & { errors?: ErrorObject[] | null };

// ajv and ajv-formats are CommonJS, required only to compile: a run loads precompiled code instead.
const require = createRequire(import.meta.url);
// (Under NodeNext the default export of a CommonJS module is its module object.)
const ajvModule = () => require('ajv/dist/2020.js') as typeof AjvModule.default;

/** The annotation keywords the compiler writes (provenance and grammars), which ajv only carries. */
export const ANNOTATIONS = ['x-doc', 'x-grammar', 'x-list', 'x-stricter'];

/** The precompiled validators' file in a generated dir. */
export const VALIDATORS_FILE = 'validators.cjs';

export interface ValidatorOptions {
  /** Precompiled validators by schema name (the module `validatorsModule` writes), loaded on first use. */
  precompiled?: () => Record<string, Compiled>;
}

export function createValidators(
  schemas: Record<string, JsonSchema>,
  rules: readonly RuleEntry[],
  options: ValidatorOptions = {},
): Validators {
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const context: RulesContext = {
    xRules(ids, data, root, pointer) {
      const out: { ruleId: string; message: string }[] = [];
      for (const id of ids) {
        const r = ruleById.get(id);
        if (!r) throw new Error(`unknown rule id ${id}`);
        // Where the object sits in the whole instance, for conditions on an enclosing object.
        const message = r.expr ? breaks(r.expr, data, { root, pointer }) : null;
        if (message) out.push({ ruleId: id, message });
      }
      return out;
    },
  };
  let source: ((name: string) => Compiled | undefined) | undefined;
  const compiled = new Map<string, Validator>();
  const validatorFor = (name: string): Validator => {
    let v = compiled.get(name);
    if (!v) {
      const s = schemas[name];
      if (!s) throw new Error(`no generated schema named ${name}`);
      source ??= sourceOf(schemas, options);
      const found = source(name);
      if (!found) throw new Error(`schema ${name} did not compile`);
      const bound: Validator = (data: unknown) => {
        const ok = found.call(context, data);
        bound.errors = found.errors;
        return ok;
      };
      compiled.set(name, bound);
      v = bound;
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

/** Where compiled validators come from: the precompiled module, or ajv compiling each schema on first use. */
function sourceOf(schemas: Record<string, JsonSchema>, options: ValidatorOptions) {
  if (options.precompiled) {
    const module = options.precompiled();
    return (name: string): Compiled | undefined => module[name];
  }
  const ajv = setUp(schemas, {});
  return (name: string) => ajv.getSchema(schemas[name].$id as string) as Compiled | undefined;
}

/**
 * x-rules (the registry's cross-field rules of an object) as generated code: it calls `this.xRules`
 * with the rule ids, the object, and where the object sits in the whole instance, and reports one
 * error per broken rule. Code rather than a function keyword, so that ajv's standalone code holds it.
 */
function xRulesKeyword(): KeywordDefinition {
  const { _ } = ajvModule();
  const { strConcat } =
    require('ajv/dist/compile/codegen/index.js') as typeof import('ajv/dist/compile/codegen/index.js');
  const N = (require('ajv/dist/compile/names.js') as typeof import('ajv/dist/compile/names.js')).default;
  return {
    keyword: 'x-rules',
    schemaType: 'array',
    error: {
      message: ({ params }) => _`${params.message}`,
      params: ({ params }) => _`{ruleId: ${params.ruleId}}`,
    },
    code(cxt: KeywordCxt) {
      const { gen, data, it } = cxt;
      const pointer = strConcat(N.instancePath, it.errorPath);
      const broken = gen.const('broken', _`${N.this}.xRules(${cxt.schemaValue}, ${data}, ${N.rootData}, ${pointer})`);
      gen.forOf('b', broken, (b) => {
        cxt.setParams({ ruleId: _`${b}.ruleId`, message: _`${b}.message` });
        cxt.error();
      });
    },
  };
}

/** One ajv instance holding every schema (each compiled on first use), with the x-rules keyword. */
function setUp(schemas: Record<string, JsonSchema>, code: { source?: boolean }) {
  const Ajv2020 = ajvModule().default;
  const addFormats = (require('ajv-formats') as typeof addFormatsModule).default;
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    passContext: true,
    code: { ...code, lines: true },
  });
  addFormats(ajv);
  ajv.addVocabulary(ANNOTATIONS);
  ajv.addKeyword(xRulesKeyword());
  for (const name of Object.keys(schemas).sort()) ajv.addSchema(schemas[name]);
  return ajv;
}

/**
 * Every schema compiled into one CommonJS module (ajv's standalone code), exporting a validator per
 * schema name; `createValidators(..., { precompiled })` runs it. It requires ajv's small runtime
 * helpers and ajv-formats' formats, not ajv itself.
 */
export function validatorsModule(schemas: Record<string, JsonSchema>): string {
  const ajv = setUp(schemas, { source: true });
  const standalone = (require('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js')).default;
  const names = Object.keys(schemas).sort();
  const code = standalone(ajv, Object.fromEntries(names.map((n) => [n, schemas[n].$id as string])));
  return `// Generated by npm run schemas from the schemas beside it: do not edit.\n${code}\n`;
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
