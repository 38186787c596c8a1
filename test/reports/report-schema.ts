// The published report schemas, compiled once (strict), and a walk that lists fields a document
// carries but its schema does not describe.

import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const Ajv2020 = Ajv2020Module as unknown as typeof Ajv2020Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Schema = Record<string, any>;
const load = (name: string): Schema =>
  JSON.parse(readFileSync(new URL(`../../reports/${name}`, import.meta.url), 'utf8'));

export const REPORT_SCHEMA = load('conformance.schema.json');
export const SUMMARY_SCHEMA = load('summary.schema.json');

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validateReport = ajv.compile(REPORT_SCHEMA);
const validateSummary = ajv.compile(SUMMARY_SCHEMA);

const problems = (v: typeof validateReport, data: unknown): string[] =>
  v(data) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`).sort();

export const reportSchemaProblems = (data: unknown) => problems(validateReport, data);
export const summarySchemaProblems = (data: unknown) => problems(validateSummary, data);

/** JSON pointers of the object members `schema` does not declare (through $ref, properties, items). */
export function undeclaredFields(root: Schema, data: unknown): string[] {
  const out: string[] = [];
  const resolve = (s: Schema): Schema =>
    typeof s.$ref === 'string'
      ? resolve(
          s.$ref
            .slice(2)
            .split('/')
            .reduce((o: Schema, k) => o[k], root),
        )
      : s;
  const walk = (schema: Schema, v: unknown, at: string) => {
    const s = resolve(schema);
    if (Array.isArray(v)) {
      if (s.items)
        v.forEach((x, i) => {
          walk(s.items, x, `${at}/${i}`);
        });
      return;
    }
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      const child = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : null);
      if (child) walk(child, x, `${at}/${k}`);
      else out.push(`${at}/${k}`);
    }
  };
  walk(root, data, '');
  return out;
}
