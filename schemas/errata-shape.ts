// The shape of an errata file, checked before the compiler reads it: a section of the wrong shape or a
// misspelt key would otherwise crash the compiler or be ignored without a word.

import Ajv2020Module from 'ajv/dist/2020.js';

const Ajv2020 = Ajv2020Module as unknown as typeof Ajv2020Module.default;

const str = { type: 'string' };
const strings = { type: 'array', items: str };
const entry = (required: string[], properties: Record<string, unknown>) => ({
  type: 'object',
  required,
  properties,
  additionalProperties: false,
});
const list = (item: unknown) => ({ type: 'array', items: item });
const why = { source: str, reason: str };

const ERRATA_SCHEMA = {
  type: 'object',
  properties: {
    $comment: {},
    required: list(entry(['table', 'properties', 'source', 'reason'], { table: str, properties: strings, ...why })),
    overrides: list(
      entry(['table', 'parameters', 'set', 'source', 'reason'], {
        table: str,
        parameters: strings,
        set: { type: 'object' },
        replaces: {},
        ...why,
      }),
    ),
    rules: list(
      entry(['id', 'set', 'source', 'reason'], {
        id: str,
        set: entry(['in'], { in: { type: 'array' } }),
        ...why,
      }),
    ),
    conflicts: list(entry(['id', 'value', 'reason'], { id: str, value: {}, reason: str })),
    decisions: list(entry(['finding', 'decision', 'reason'], { finding: str, decision: str, reason: str })),
    pageRules: list(
      entry(['id', 'kind', 'table', 'parameter', 'text', 'source', 'quote'], {
        id: str,
        kind: { enum: ['schema', 'semantic', 'status', 'auth', 'protocol', 'transport'] },
        table: str,
        parameter: str,
        keyword: str,
        value: {},
        text: str,
        quote: str,
        inference: { type: 'boolean' },
        expr: { type: 'object' },
        ...why,
      }),
    ),
    conditions: list(
      entry(['table', 'words', 'field', 'source', 'reason'], {
        table: str,
        words: str,
        field: entry(['table', 'parameter'], { table: str, parameter: str }),
        ...why,
      }),
    ),
    operation: entry(['operationId', 'source', 'reason'], { operationId: str, ...why }),
    // What the OpenAPI export needs that the page does not say (schemas/compiler/openapi-examples.ts).
    openapi: entry([], {
      parameterExamples: list(entry(['in', 'name', 'value', 'reason'], { in: str, name: str, value: {}, reason: str })),
      scenarios: list(
        entry(['name', 'status', 'body', 'reason'], {
          name: str,
          status: { type: 'integer' },
          parameters: { type: 'object' },
          body: {},
          reason: str,
        }),
      ),
      exampleCorrections: list(
        entry(['example', 'pointer', 'page', 'value', 'reason'], {
          example: str,
          pointer: str,
          page: {},
          value: {},
          reason: str,
        }),
      ),
    }),
  },
  additionalProperties: false,
};

let check: ReturnType<InstanceType<typeof Ajv2020>['compile']> | undefined;

/** Why the parsed errata file is not of the errata's shape (one line), or undefined when it is. */
export function errataShapeError(parsed: unknown): string | undefined {
  check ??= new Ajv2020({ allErrors: false, strict: true }).compile(ERRATA_SCHEMA);
  if (check(parsed)) return undefined;
  const e = check.errors![0];
  const at = e.instancePath || '(top level)';
  if (e.keyword === 'additionalProperties') {
    const key = (e.params as { additionalProperty: string }).additionalProperty;
    const known = Object.keys(e.instancePath ? {} : ERRATA_SCHEMA.properties).join(', ');
    return `${at}: unknown key "${key}"${known ? ` (the sections are ${known})` : ''}`;
  }
  return `${at}: ${e.message}`;
}
