// Runtime view of the compiled contract: the generated schemas compiled once with ajv, the rule
// registry, and validators whose every error is mapped to its rule id, table and parameter.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { JsonSchema, Operation, ReviewItem, RuleEntry, ConflictFinding } from './compiler/compile.ts';
import { createValidators, VALIDATORS_FILE, type Violation } from './validator.ts';

export type { JsonSchema, Operation, RuleEntry, RuleExpr } from './compiler/compile.ts';

import { GENERATED_DIR } from './files.ts';

export { GENERATED_DIR };

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

export type { Validator, Violation } from './validator.ts';

// Precompiled by `npm run schemas` (a test checks the file is current); loaded on the first validation.
const require = createRequire(import.meta.url);
const validators = createValidators(schemas, rules, {
  precompiled: () => require(join(GENERATED_DIR, VALIDATORS_FILE)),
});
/** The compiled validator of one generated schema, compiled once. */
export const validatorFor = validators.validatorFor;
/** Violations of one generated schema, one per broken rule and place, in ajv's order. */
export const validate = validators.validate;

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
