// What a compiled page says, without provenance: the view the expected files beside each test page
// (test/pages/*/expected.json) are written in, so that they can be read and checked against the page.

import type { Compiled, JsonSchema } from '../../schemas/compiler/compile.ts';

const PROVENANCE = new Set(['x-doc', '$schema', '$id', 'title']);

function keywords(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(keywords);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as JsonSchema)
        .filter(([k]) => !PROVENANCE.has(k))
        .map(([k, x]) => [k, keywords(x)]),
    );
  return v;
}

export function pageView(c: Compiled) {
  return {
    operation: {
      method: c.operation.method,
      path: c.operation.path,
      request: c.operation.request,
      responses: c.operation.responses,
      statusCodes: c.operation.statusCodes.map((s) => s.status),
    },
    schemas: Object.fromEntries(Object.entries(c.schemas).map(([name, s]) => [name, keywords(s)])),
    semanticRules: Object.fromEntries(c.registry.filter((r) => r.expr).map((r) => [r.id, r.expr])),
    review: c.review.map((r) => ({ table: r.table, parameter: r.parameter, text: r.text })),
    conflicts: c.conflicts.map((k) => ({ id: k.id, resolvedTo: k.resolvedTo, stricter: k.stricter })),
  };
}
