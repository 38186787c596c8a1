// The page's conditional requirements ("path is required if protocol is HTTP or HTTPS", "ecs_id is
// mandatory when the backend instance type is ECS") as JSON Schema if/then, so that tools reading the
// OpenAPI export enforce them too. The suite's own validators read the same rules from x-rules; the
// rules JSON Schema cannot state (one field less than another, ranges in ascending order) stay there.

import type { JsonSchema, RuleEntry, RuleExpr } from './compile.ts';

type RequiredIf = Extract<RuleExpr, { op: 'requiredIf' }>;

/** `inner` placed at `path` below an object ("*": every item of an array). */
function nest(path: string[], inner: JsonSchema): JsonSchema {
  return path.reduceRight<JsonSchema>((s, seg) => (seg === '*' ? { items: s } : { properties: { [seg]: s } }), inner);
}

function ifThen(r: RuleEntry, e: RequiredIf): JsonSchema {
  return {
    $comment: `${r.id}: ${r.text}`,
    if: { properties: { [e.when]: { enum: e.in } }, required: [e.when] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's keyword, not a thenable
    then: nest(e.enclosing?.path ?? [], { required: [e.field] }),
  };
}

/**
 * The components with every requiredIf rule added as an `allOf` if/then, on the object that holds the
 * condition's field (the enclosing one when the condition sits there). Returns the rule ids JSON Schema
 * cannot state, for the document to name.
 */
export function addConditions(
  components: Record<string, JsonSchema>,
  registry: readonly RuleEntry[],
): { components: Record<string, JsonSchema>; notExpressible: string[] } {
  const byId = new Map(registry.map((r) => [r.id, r]));
  const out = structuredClone(components);
  const notExpressible: string[] = [];
  for (const [name, schema] of Object.entries(components)) {
    for (const id of (schema['x-rules'] as string[] | undefined) ?? []) {
      const r = byId.get(id);
      if (!r?.expr) continue;
      if (r.expr.op !== 'requiredIf') {
        notExpressible.push(id);
        continue;
      }
      const holder = r.expr.enclosing?.object ?? name;
      const target = out[holder];
      if (!target) throw new Error(`rule ${id}: no schema ${holder} for its condition`);
      target.allOf = [...((target.allOf as JsonSchema[] | undefined) ?? []), ifThen(r, r.expr)];
    }
  }
  return { components: out, notExpressible: [...new Set(notExpressible)].sort() };
}
