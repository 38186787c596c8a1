// The OpenAPI 3.1 export as an OpenAPI 3.0.3 document, for tools that read 3.0 only or better (Dredd,
// many code generators): JSON Schema 2020-12 keywords rewritten into the 3.0 Schema Object's subset,
// one `example` where 3.1 names several (the first scenario's: the page's example exchange).

import type { JsonSchema } from './compile.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** A 2020-12 schema as a 3.0 Schema Object. */
function schema30(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(schema30);
  if (!isObj(s)) return s;
  const out: Obj = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'properties' || k === '$defs')
      out[k] = Object.fromEntries(Object.entries(v as Obj).map(([name, p]) => [name, schema30(p)]));
    else if (k === 'const') out.enum = [v];
    else if (k === 'examples' && Array.isArray(v)) out.example = v[0];
    else if (k === '$comment') out['x-comment'] = v;
    else if (k === 'exclusiveMinimum' || k === 'exclusiveMaximum')
      Object.assign(out, { [k === 'exclusiveMinimum' ? 'minimum' : 'maximum']: v, [k]: true });
    else if (k === 'type' && Array.isArray(v)) {
      const types = v.filter((t) => t !== 'null');
      out.type = types[0];
      if (types.length < v.length) out.nullable = true;
    } else if (k === 'if' || k === 'then') continue;
    else out[k] = schema30(v);
  }
  // if C then T  ==  not C, or T
  if ('if' in s) out.anyOf = [{ not: schema30(s.if) }, schema30(s.then ?? {})];
  // A 3.0 Reference Object has no siblings: keep them beside an allOf of the reference.
  if (typeof out.$ref === 'string' && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return { allOf: [{ $ref }], ...rest };
  }
  return out;
}

/** One example where 3.1 names several: the first. */
function singleExample(o: Obj): Obj {
  const { examples, ...rest } = o;
  if (!isObj(examples)) return rest;
  const first = Object.values(examples)[0] as Obj | undefined;
  return first ? { ...rest, example: first.value } : rest;
}

const mediaTypes = (content: unknown) =>
  Object.fromEntries(
    Object.entries(content as Obj).map(([type, m]) => [
      type,
      { ...singleExample(m as Obj), schema: schema30((m as Obj).schema) },
    ]),
  );

/** A parameter's schema inline (3.0 tools resolve references into a property poorly). */
function parameter30(p: Obj, doc: JsonSchema): Obj {
  const ref = ((p.schema as Obj).$ref as string | undefined)?.replace(/^#\//, '').split('/');
  const target = ref ? ref.reduce<unknown>((v, k) => (v as Obj)[k], doc) : p.schema;
  return { ...singleExample(p), schema: schema30(target) };
}

function operation30(op: Obj, doc: JsonSchema): Obj {
  const out: Obj = { ...op, parameters: ((op.parameters as Obj[] | undefined) ?? []).map((p) => parameter30(p, doc)) };
  if (isObj(op.requestBody)) out.requestBody = { ...op.requestBody, content: mediaTypes(op.requestBody.content) };
  out.responses = Object.fromEntries(
    Object.entries(op.responses as Obj).map(([status, r]) => [
      status,
      isObj((r as Obj).content) ? { ...(r as Obj), content: mediaTypes((r as Obj).content) } : r,
    ]),
  );
  return out;
}

export function toOpenApi30(doc: JsonSchema): JsonSchema {
  const { jsonSchemaDialect: _dialect, paths, components, info, ...rest } = doc as Obj;
  return {
    ...rest,
    openapi: '3.0.3',
    info: {
      ...(info as Obj),
      description: `${(info as Obj).description} This is the OpenAPI 3.0 form of openapi.json (3.1): conditional requirements as anyOf/not, one example per place (the first scenario's).`,
    },
    paths: Object.fromEntries(
      Object.entries(paths as Obj).map(([path, item]) => [
        path,
        Object.fromEntries(Object.entries(item as Obj).map(([method, op]) => [method, operation30(op as Obj, doc)])),
      ]),
    ),
    components: {
      schemas: Object.fromEntries(
        Object.entries((components as Obj).schemas as Obj).map(([name, s]) => [name, schema30(s)]),
      ),
    },
  };
}
