// The compiled schemas as one self-contained OpenAPI 3.1 document (internal $refs only), for other
// tools to use unchanged: an example for every parameter and the request body, response examples that
// pass the schemas (the page's, corrected where the tables win, each correction recorded), the body
// required as the suite requires it, and the conditional requirements as if/then.

import type { Compiled, JsonSchema } from './compile.ts';
import { addConditions } from './openapi-conditions.ts';
import {
  type Correction,
  correctExample,
  exampleObject,
  type OpenApiErrata,
  type Scenario,
} from './openapi-examples.ts';
import { createValidators } from '../validator.ts';

export type { OpenApiErrata } from './openapi-examples.ts';

// The same regular expression with \uXXXX escapes written as the characters: the generators of other
// tools (json-schema-faker's randexp in Prism) misread an escaped range such as \u4e00-\u9fa5 and emit
// names outside it; every ECMA-262 engine reads both forms alike. Only non-ASCII characters, which are
// never regular-expression syntax.
const literalEscapes = (pattern: string) =>
  pattern.replace(/(?<!\\)\\u([0-9a-fA-F]{4})/g, (sequence, hex: string) =>
    Number.parseInt(hex, 16) < 0x80 ? sequence : String.fromCharCode(Number.parseInt(hex, 16)),
  );

/** A generated schema as a component: internal $refs, no $id, patterns other tools' generators read. */
function asComponent(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asComponent);
  if (value && typeof value === 'object') {
    const out: JsonSchema = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$schema' || k === '$id') continue;
      if (k === '$ref' && typeof v === 'string') out[k] = `#/components/schemas/${v.replace('.schema.json', '')}`;
      else if (k === 'pattern' && typeof v === 'string') out[k] = literalEscapes(v);
      else out[k] = asComponent(v);
    }
    return out;
  }
  return value;
}

/** The named examples of one place (a parameter, the body, a response), or why the page's was left out. */
type Named = { examples?: Record<string, JsonSchema>; omitted?: string };
const asFields = (n: Named): JsonSchema => ({
  ...(n.examples && Object.keys(n.examples).length ? { examples: n.examples } : {}),
  ...(n.omitted ? { 'x-example-omitted': n.omitted } : {}),
});

function parametersOf(c: Compiled, errata: OpenApiErrata, scenarios: Scenario[]): JsonSchema[] {
  const { operation: op, schemas } = c;
  const parameters: JsonSchema[] = [];
  for (const [where, schemaName] of [
    ['path', op.request.path],
    ['query', op.request.query],
    ['header', op.request.headers],
  ] as const) {
    if (!schemaName) continue;
    const s = schemas[schemaName];
    const required = (s.required as string[] | undefined) ?? [];
    for (const [name, p] of Object.entries(s.properties as Record<string, JsonSchema>)) {
      const given = errata.parameterExamples?.find((x) => x.in === where && x.name === name);
      const examples = Object.fromEntries(
        scenarios
          .map((sc) => [sc.name, sc.parameters && name in sc.parameters ? sc.parameters[name] : given?.value] as const)
          .filter(([, value]) => value !== undefined)
          .map(([scenario, value]) => [scenario, { value }]),
      );
      parameters.push({
        name,
        in: where,
        required: where === 'path' ? true : required.includes(name),
        description: (p['x-doc'] as { text: string }).text,
        schema: { $ref: `#/components/schemas/${schemaName}/properties/${name}` },
        ...asFields({ examples }),
        ...(given ? { 'x-example-source': given.reason } : {}),
      });
    }
  }
  return parameters;
}

function responsesOf(c: Compiled, examples: (status: number, schemaName: string) => Named): JsonSchema {
  const responses: JsonSchema = {};
  for (const { status, description } of c.operation.statusCodes) {
    const schemaName = c.operation.responses[String(status)];
    responses[String(status)] = {
      description,
      ...(schemaName
        ? {
            content: {
              'application/json': {
                schema: { $ref: `#/components/schemas/${schemaName}` },
                ...asFields(examples(status, schemaName)),
              },
            },
          }
        : {}),
    };
  }
  return responses;
}

/** The rules the document cannot state in JSON Schema, named in its description. */
const describeRules = (ids: string[]) =>
  ids.length
    ? ` Rules JSON Schema cannot state are kept as x-rules and enforced by the conformance suite only: ${ids.join(', ')}.`
    : '';

// Without errata scenarios, one: the page's example request and, for each status, the page's answer.
const PAGE_SCENARIO = 'page-example';
const scenariosOf = (c: Compiled, errata: OpenApiErrata): Scenario[] =>
  errata.scenarios ?? [
    {
      name: PAGE_SCENARIO,
      status: c.operation.statusCodes.find((s) => s.status < 300)?.status ?? 200,
      body: 'page',
      reason: "the page's example",
    },
  ];

/** `source` says what the document was made of (the repo's own page and errata by default). */
export function buildOpenApi(
  c: Compiled,
  version: string,
  source = 'the ROMA Connect reference page (spec/page.txt) and spec/errata.json',
  errata: OpenApiErrata = {},
): JsonSchema {
  const { operation: op, schemas } = c;
  const validators = createValidators(schemas, c.registry);
  const scenarios = scenariosOf(c, errata);
  const corrected: Correction[] = [];
  /** The page's example for `name` ("request", "201", ...), corrected, as a named example object. */
  const pageExample = (
    name: string,
    schemaName: string,
    summary: string,
  ): { example?: JsonSchema; omitted?: string } => {
    const found = op.examples.find((e) => (name === 'request' ? e.kind === 'request' : e.status === Number(name)));
    if (!found) return {};
    const { example, corrections } = correctExample(name, found.json, errata);
    corrected.push(...corrections);
    const violations = validators.validate(schemaName, example).map((v) => `${v.ruleId}: ${v.message}`);
    return exampleObject(example, summary, corrections, violations);
  };
  const { components, notExpressible } = addConditions(
    Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, asComponent(s) as JsonSchema])),
    c.registry,
  );
  const responses = responsesOf(c, (status, schemaName) => {
    const named = scenarios.filter((sc) => sc.status === status);
    const page = pageExample(String(status), schemaName, `the page's example ${status} answer`);
    const names = named.length ? named.map((sc) => sc.name) : [`${PAGE_SCENARIO}-${status}`];
    const { example } = page;
    return example ? { examples: Object.fromEntries(names.map((n) => [n, example])) } : page;
  });
  const body = op.request.body;
  const bodyExamples = (): Named => {
    const page = pageExample('request', body!, "the page's example request");
    const examples: Record<string, JsonSchema> = {};
    for (const sc of scenarios) {
      if (sc.body !== 'page') examples[sc.name] = { summary: sc.reason, value: sc.body };
      else if (page.example) examples[sc.name] = { ...page.example, summary: sc.reason };
    }
    return { examples, ...(page.omitted ? { omitted: page.omitted } : {}) };
  };
  const requestBody = body
    ? {
        // The body schema is an object, so an absent body breaks it: the suite expects 400 for one.
        required: schemas[body].type === 'object',
        content: {
          'application/json': { schema: { $ref: `#/components/schemas/${body}` }, ...asFields(bodyExamples()) },
        },
      }
    : undefined;
  return {
    openapi: '3.1.0',
    info: {
      title: op.title,
      version,
      description: `Generated from ${source} by \`npm run schemas\`. Each schema keyword carries x-doc provenance; conditional requirements are if/then.${describeRules(notExpressible)}${corrected.length ? ' Where a page example contradicts a table the table wins: the corrected examples list each change in x-example-corrections.' : ''}`,
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: {
      [op.path]: {
        [op.method.toLowerCase()]: {
          operationId: c.operationId,
          summary: op.title,
          parameters: parametersOf(c, errata, scenarios),
          ...(requestBody ? { requestBody } : {}),
          responses,
        },
      },
    },
    components: { schemas: components },
  };
}
