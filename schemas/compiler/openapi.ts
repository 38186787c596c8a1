// The compiled schemas as one self-contained OpenAPI 3.1 document (internal $refs only).

import type { Compiled, JsonSchema } from './compile.ts';

function localRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(localRefs);
  if (value && typeof value === 'object') {
    const out: JsonSchema = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$schema' || k === '$id') continue;
      out[k] =
        k === '$ref' && typeof v === 'string' ? `#/components/schemas/${v.replace('.schema.json', '')}` : localRefs(v);
    }
    return out;
  }
  return value;
}

/** `source` says what the document was made of (the repo's own page and errata by default). */
export function buildOpenApi(
  c: Compiled,
  version: string,
  source = 'the ROMA Connect reference page (spec/page.txt) and spec/errata.json',
): JsonSchema {
  const { operation: op, schemas } = c;
  const components = Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, localRefs(s)]));
  const prop = (schemaName: string | undefined, key: string) =>
    schemaName ? ((schemas[schemaName].properties as Record<string, JsonSchema>)[key] ?? {}) : {};
  const parameters: JsonSchema[] = [];
  for (const [where, schemaName] of [
    ['path', op.request.path],
    ['query', op.request.query],
    ['header', op.request.headers],
  ] as const) {
    if (!schemaName) continue;
    const s = schemas[schemaName];
    const required = (s.required as string[] | undefined) ?? [];
    for (const name of Object.keys(s.properties as object)) {
      const p = prop(schemaName, name);
      parameters.push({
        name,
        in: where,
        required: where === 'path' ? true : required.includes(name),
        description: (p['x-doc'] as { text: string }).text,
        schema: { $ref: `#/components/schemas/${schemaName}/properties/${name}` },
      });
    }
  }
  const example = (kind: 'request' | 'response', status?: number) =>
    op.examples.find((e) => e.kind === kind && e.status === status)?.json;
  const responses: JsonSchema = {};
  for (const { status, description } of op.statusCodes) {
    const schemaName = op.responses[String(status)];
    const ex = example('response', status);
    responses[String(status)] = {
      description,
      ...(schemaName
        ? {
            content: {
              'application/json': {
                schema: { $ref: `#/components/schemas/${schemaName}` },
                ...(ex !== undefined ? { example: ex } : {}),
              },
            },
          }
        : {}),
    };
  }
  const requestExample = example('request');
  return {
    openapi: '3.1.0',
    info: {
      title: op.title,
      version,
      description: `Generated from ${source} by \`npm run schemas\`. Each schema keyword carries x-doc provenance.`,
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: {
      [op.path]: {
        [op.method.toLowerCase()]: {
          operationId: c.operationId,
          summary: op.title,
          parameters,
          ...(op.request.body
            ? {
                requestBody: {
                  required: false,
                  content: {
                    'application/json': {
                      schema: { $ref: `#/components/schemas/${op.request.body}` },
                      ...(requestExample !== undefined ? { example: requestExample } : {}),
                    },
                  },
                },
              }
            : {}),
          responses,
        },
      },
    },
    components: { schemas: components },
  };
}
