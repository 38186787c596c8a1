// Examples for the OpenAPI export, as named scenarios: for each, a value for every parameter, a request
// body and the answer the page documents for its status (the page's example, corrected where the errata
// say the tables win, each correction recorded beside it). Tools that pair request and response examples
// by name (Specmatic, Prism's `Prefer: example=`) get a complete exchange; an example that still breaks
// its schema is left out with the reason, never exported as valid.

import type { JsonSchema } from './compile.ts';

/** One exchange the export documents: what is sent, and which documented status answers it. */
export interface Scenario {
  name: string;
  status: number;
  /** Parameter values that differ from parameterExamples (by parameter name). */
  parameters?: Record<string, unknown>;
  /** The request body; "page" for the page's example request. */
  body: unknown;
  reason: string;
}

/** errata.openapi: what the export needs that the page does not say. */
export interface OpenApiErrata {
  /** Values for parameters the page gives no example for. */
  parameterExamples?: { in: string; name: string; value: unknown; reason: string }[];
  scenarios?: Scenario[];
  /** Where a page example contradicts a table: the value the tables allow. `*` in a pointer matches every item. */
  exampleCorrections?: { example: string; pointer: string; page: unknown; value: unknown; reason: string }[];
}

export interface Correction {
  pointer: string;
  page: unknown;
  value: unknown;
  reason: string;
}

/** Pointers into `doc` matching `pattern` (a JSON pointer whose `*` segments match every array item or key). */
function expand(doc: unknown, pattern: string): string[] {
  let found: [string, unknown][] = [['', doc]];
  for (const seg of pattern.split('/').slice(1)) {
    const next: [string, unknown][] = [];
    for (const [at, v] of found) {
      if (!v || typeof v !== 'object') continue;
      for (const k of seg === '*' ? Object.keys(v) : [seg])
        if (k in (v as object)) next.push([`${at}/${k}`, (v as Record<string, unknown>)[k]]);
    }
    found = next;
  }
  return found.map(([at]) => at);
}

const parentOf = (doc: unknown, pointer: string) => {
  const keys = pointer.split('/').slice(1);
  const last = keys.pop()!;
  return {
    at: keys.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], doc) as Record<string, unknown>,
    last,
  };
};

/**
 * The page's example `name` ("request", "201", ...) with the errata's corrections applied, and each
 * correction as applied (one per place). Throws when a correction names a place the example does not
 * have, or a value it does not hold there: an errata entry the page no longer needs.
 */
export function correctExample(name: string, example: unknown, errata: OpenApiErrata) {
  const out = structuredClone(example);
  const corrections: Correction[] = [];
  for (const c of errata.exampleCorrections ?? []) {
    if (c.example !== name) continue;
    const places = expand(out, c.pointer);
    if (places.length === 0) throw new Error(`errata openapi.exampleCorrections: example ${name} has no ${c.pointer}`);
    for (const pointer of places) {
      const { at, last } = parentOf(out, pointer);
      if (JSON.stringify(at[last]) !== JSON.stringify(c.page))
        throw new Error(
          `errata openapi.exampleCorrections: example ${name} ${pointer} is ${JSON.stringify(at[last])}, not ${JSON.stringify(c.page)}`,
        );
      at[last] = c.value;
      corrections.push({ pointer, page: c.page, value: c.value, reason: c.reason });
    }
  }
  return { example: out, corrections };
}

/** A named example object, or why the page's example is not one: it still breaks its schema. */
export function exampleObject(value: unknown, summary: string, corrections: Correction[], violations: string[]) {
  if (violations.length)
    return { omitted: `the page's example breaks the schema the tables define: ${violations.join('; ')}` };
  const fields: JsonSchema = { summary, value };
  if (corrections.length) fields['x-example-corrections'] = corrections;
  return { example: fields };
}
