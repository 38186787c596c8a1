// The committed schemas/generated/* are what the compiler makes of spec/page.txt + spec/errata.json,
// every documented parameter carries the keywords the page (and the errata) give it, and the OpenAPI
// document is a valid, self-contained OpenAPI 3.1 description with the page's examples.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { renderGenerated } from '../../schemas/build.ts';
import { parsePage } from '../../schemas/compiler/parse-page.ts';
import { caseSeed, DEFAULT_SEED, fakerFor } from '../../generators/seed.ts';
import { breakRule, variantsOf } from '../../generators/mutations.ts';
import { validValue } from '../../generators/values.ts';
import { operation, rules, schemas, validate, type JsonSchema } from '../../schemas/index.ts';
import { createValidators } from '../../schemas/validator.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const generatedDir = join(root, 'schemas', 'generated');
const page = parsePage(readFileSync(join(root, 'spec', 'page.txt'), 'utf8'));

describe('generated files', () => {
  it('renderGenerated() equals the committed schemas/generated/ exactly', () => {
    const rendered = renderGenerated();
    const committed = readdirSync(generatedDir).sort();
    expect(Object.keys(rendered).sort()).toEqual(committed);
    for (const f of committed) expect(readFileSync(join(generatedDir, f), 'utf8'), f).toBe(rendered[f]);
  });

  it('every schema passes the JSON Schema 2020-12 meta-schema when compiled (the build compiles them all)', () => {
    const compiling = createValidators(schemas, rules);
    for (const name of Object.keys(schemas)) expect(() => compiling.validatorFor(name), name).not.toThrow();
    const broken = { ...schemas, RequestBody: { ...schemas.RequestBody, minProperties: 'one' } };
    expect(() => createValidators(broken, rules).validatorFor('RequestBody')).toThrow(/schema is invalid/);
  });

  it('the precompiled validators (validators.cjs) find what ajv compiling the schemas finds, rule by rule', () => {
    const compiling = createValidators(schemas, rules);
    let compared = 0;
    for (const root of ['RequestBody', 'Response201', 'Response400']) {
      for (const r of rules.filter((x) => x.kind === 'schema' || (x.kind === 'semantic' && x.expr)))
        for (const variant of variantsOf(r)) {
          const seed = caseSeed(DEFAULT_SEED, `${r.id}:${variant}:${root}`);
          const valid = validValue(schemas[root], '(body)', fakerFor(seed), { optional: 'all' });
          const broken = breakRule(root, valid, r.id, fakerFor(seed + 1), variant);
          for (const instance of broken ? [valid, broken.instance] : [valid]) {
            expect(validate(root, instance), `${root} ${r.id} ${variant}`).toEqual(compiling.validate(root, instance));
            compared++;
          }
        }
    }
    expect(compared).toBeGreaterThan(500);
  });
});

// ---------------------------------------------------------------------------------------------
// Every documented parameter of Tables 1-15, with the keywords it must carry (by hand, from the page
// and spec/errata.json). The keyword set is exact: no keyword beyond these (and x-doc / x-grammar).

const S = { type: 'string' };
const _I = { type: 'integer' };
const _B = { type: 'boolean' };
const TIME = { type: 'string', format: 'date-time' }; // errata: vendor API definition
const ref = (name: string) => `${name}.schema.json`;
const obj = (name: string) => ({ type: 'object', $ref: ref(name) });
const arrayOf = (name: string) => ({ type: 'array', items: { type: 'object', $ref: ref(name) } });
const max64 = { type: 'string', maxLength: 64 };
const DICT_CODE = { type: 'string', minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._-]*$' }; // pattern: errata (page: ^[A-Za-z0-9_-]*$)
const HTTP_CODE_PATTERN = '^[1-5]\\d{2}(?:-[1-5]\\d{2})?(?:,[1-5]\\d{2}(?:-[1-5]\\d{2})?)*$';
const ERROR_BODY = (t: string): Row[] => [
  [t, 'error_code', S],
  [t, 'error_msg', S],
];

type Row = [table: string, parameter: string, keywords: JsonSchema];
const EXPECTED: Row[] = [
  ['Table 1', 'project_id', S],
  ['Table 2', 'X-Auth-Token', S],
  ['Table 3', 'vpc_channel_id', S],
  ['Table 3', 'instance_ids', { type: 'array', items: { type: 'string' } }],
  ['Table 3', 'force_sync', { type: 'boolean', default: false }],
  ['Table 4', 'project_vpc_channels', arrayOf('ProjectVpcChannelInfo')],
  [
    'Table 5',
    'name',
    { type: 'string', minLength: 3, maxLength: 64, pattern: '^[A-Za-z\\u4e00-\\u9fa5][A-Za-z0-9\\u4e00-\\u9fa5_-]*$' },
  ], // pattern: errata
  ['Table 5', 'port', { type: 'integer', minimum: 1, maximum: 65535 }],
  ['Table 5', 'balance_strategy', { type: 'integer', enum: [1, 2, 3, 4], default: 1 }],
  ['Table 5', 'member_type', { type: 'string', enum: ['ip', 'ecs'], default: 'ecs' }],
  ['Table 5', 'dict_code', DICT_CODE],
  ['Table 5', 'create_time', TIME],
  ['Table 5', 'id', S],
  ['Table 5', 'status', { type: 'integer', enum: [1, 2] }],
  ['Table 5', 'member_groups', arrayOf('MemberGroupInfo')],
  ['Table 5', 'instance_id', S],
  ['Table 5', 'instance_name', S],
  ['Table 5', 'members', arrayOf('VpcMemberInfo')],
  ['Table 5', 'vpc_health_config', obj('VpcHealthConfigInfo')],
  ['Table 5', 'microservice_info', obj('MicroServiceInfo')],
  ['Table 5', 'type', { type: 'string', enum: ['BUILTIN', 'MICROSERVICE'] }],
  ['Table 6', 'member_group_name', S],
  ['Table 6', 'member_group_remark', S],
  ['Table 6', 'member_group_weight', { type: 'integer', minimum: 0, maximum: 100 }],
  ['Table 6', 'dict_code', DICT_CODE],
  ['Table 6', 'member_group_id', S],
  ['Table 6', 'create_time', TIME],
  ['Table 6', 'update_time', TIME],
  ['Table 7', 'host', max64],
  ['Table 7', 'weight', { type: 'integer', minimum: 0, maximum: 10000 }],
  ['Table 7', 'is_backup', { type: 'boolean', default: false }],
  ['Table 7', 'member_group_name', S],
  ['Table 7', 'status', { type: 'integer', enum: [1, 2] }],
  ['Table 7', 'port', { type: 'integer', minimum: 0, maximum: 65535 }],
  ['Table 7', 'ecs_id', { type: 'string', maxLength: 255, pattern: '^[A-Za-z0-9_-]*$' }], // maxLength: errata conflict (words say 64)
  ['Table 7', 'ecs_name', { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_.-]*$' }],
  ['Table 7', 'id', S],
  ['Table 7', 'vpc_channel_id', S],
  ['Table 7', 'create_time', TIME],
  ['Table 7', 'member_group_id', S],
  ['Table 8', 'protocol', { type: 'string', enum: ['TCP', 'HTTP', 'HTTPS'] }],
  ['Table 8', 'path', S],
  ['Table 8', 'method', { type: 'string', enum: ['GET', 'HEAD'], default: 'GET' }], // enum: errata
  ['Table 8', 'port', { type: 'integer', minimum: 0, maximum: 65535 }],
  ['Table 8', 'threshold_normal', { type: 'integer', minimum: 1, maximum: 10 }],
  ['Table 8', 'threshold_abnormal', { type: 'integer', minimum: 1, maximum: 10 }],
  ['Table 8', 'time_interval', { type: 'integer', minimum: 5, maximum: 300 }],
  ['Table 8', 'http_code', { type: 'string', pattern: HTTP_CODE_PATTERN }],
  ['Table 8', 'enable_client_ssl', { type: 'boolean', default: false }],
  ['Table 8', 'status', { type: 'integer', enum: [1, 2] }],
  ['Table 8', 'timeout', { type: 'integer', minimum: 2, maximum: 30 }],
  ['Table 8', 'vpc_channel_id', S],
  ['Table 8', 'id', S],
  ['Table 8', 'create_time', TIME],
  ['Table 9', 'id', S],
  ['Table 9', 'service_type', { type: 'string', enum: ['CSE', 'CCE'] }],
  ['Table 9', 'cse_info', obj('MicroServiceInfoCSE')],
  ['Table 9', 'cce_info', obj('MicroServiceInfoCCE')],
  ['Table 9', 'update_time', TIME],
  ['Table 9', 'create_time', TIME],
  ['Table 10', 'engine_id', max64],
  ['Table 10', 'service_id', max64],
  ['Table 10', 'engine_name', S],
  ['Table 10', 'service_name', S],
  ['Table 10', 'register_address', S],
  ['Table 10', 'cse_app_id', S],
  ['Table 10', 'version', max64],
  ['Table 11', 'cluster_id', max64],
  ['Table 11', 'namespace', max64],
  ['Table 11', 'workload_type', { type: 'string', enum: ['deployment', 'statefulset', 'daemonset'] }],
  ['Table 11', 'app_name', max64],
  ['Table 11', 'label_key', max64],
  ['Table 11', 'label_value', max64],
  ['Table 11', 'cluster_name', S],
  ...ERROR_BODY('Table 12'),
  ...ERROR_BODY('Table 13'),
  ...ERROR_BODY('Table 14'),
  ...ERROR_BODY('Table 15'),
];

/** The generated schema documenting a table, found through operation.objects. */
function schemaOf(table: string): JsonSchema {
  const entry = Object.entries(operation.objects).find(([, o]) => o.table === table);
  if (!entry) throw new Error(`operation.objects names no schema for ${table}`);
  return schemas[entry[0]];
}
const propertyOf = (table: string, parameter: string) =>
  (schemaOf(table).properties as Record<string, JsonSchema>)[parameter];
const NOT_KEYWORDS = new Set(['x-doc', 'x-grammar']);

describe('every documented parameter carries its keywords', () => {
  it('the expectations list every row of all 15 tables, and only those', () => {
    expect(page.tables.map((t) => t.name)).toEqual(Array.from({ length: 15 }, (_, i) => `Table ${i + 1}`));
    const documented = page.tables.flatMap((t) => t.rows.map((r) => `${t.name} ${r.parameter}`));
    expect(EXPECTED.map(([t, p]) => `${t} ${p}`)).toEqual(documented);
    const generated = page.tables.flatMap((t) =>
      Object.keys(schemaOf(t.name).properties as object).map((p) => `${t.name} ${p}`),
    );
    expect(generated).toEqual(documented);
  });

  it.each(EXPECTED)('%s %s', (table, parameter, keywords) => {
    const prop = propertyOf(table, parameter);
    expect(prop, `${table} ${parameter} is not in the generated schema`).toBeDefined();
    expect(prop).toMatchObject(keywords);
    const carried = Object.keys(prop)
      .filter((k) => !NOT_KEYWORDS.has(k))
      .sort();
    expect(carried, 'no keyword beyond the expected ones').toEqual(Object.keys(keywords).sort());
    const items = prop.items as JsonSchema | undefined;
    if (items)
      expect(
        Object.keys(items)
          .filter((k) => !NOT_KEYWORDS.has(k))
          .sort(),
      ).toEqual(Object.keys(keywords.items as object).sort());
    expect(prop['x-doc']).toEqual({
      id: `${table.replace('Table ', 'table')}.${parameter}`,
      table,
      parameter,
      text: expect.stringMatching(/\S/),
    });
  });

  it('the http_code pattern accepts the page grammar and nothing else', () => {
    const re = new RegExp(propertyOf('Table 8', 'http_code').pattern as string, 'u');
    for (const ok of ['200', '200,201,202', '200-299', '201,202,210-299', '100', '599'])
      expect(re.test(ok), ok).toBe(true);
    for (const bad of ['600', '99', '200-', 'abc', '', '2000', '200;201']) expect(re.test(bad), bad).toBe(false);
  });

  const REQUIRED: [string, string[]][] = [
    ['Table 1', ['project_id']],
    ['Table 2', ['X-Auth-Token']],
    ['Table 3', []],
    ['Table 4', ['project_vpc_channels']],
    ['Table 5', ['name', 'port', 'balance_strategy', 'member_type']],
    ['Table 6', []],
    ['Table 7', []],
    ['Table 8', ['protocol', 'threshold_normal', 'threshold_abnormal', 'time_interval']],
    ['Table 9', []],
    ['Table 10', []],
    ['Table 11', []],
    ['Table 12', ['error_code', 'error_msg']],
    ['Table 13', ['error_code', 'error_msg']],
    ['Table 14', ['error_code', 'error_msg']],
    ['Table 15', ['error_code', 'error_msg']],
  ];
  it.each(REQUIRED)('%s requires exactly %j', (table, required) => {
    expect([...((schemaOf(table).required as string[] | undefined) ?? [])].sort()).toEqual([...required].sort());
  });

  it('timeout stays optional (errata decision)', () => {
    expect(schemaOf('Table 8').required).not.toContain('timeout');
  });

  it('carries the semantic rules of Table 8', () => {
    const byId = (id: string) => rules.find((r) => r.id === id);
    expect(byId('table8.timeout.lt_time_interval')).toMatchObject({
      kind: 'semantic',
      table: 'Table 8',
      parameter: 'timeout',
      expr: { op: 'lt', left: 'timeout', right: 'time_interval' },
    });
    expect(byId('table8.path.required_if_protocol')).toMatchObject({
      kind: 'semantic',
      table: 'Table 8',
      parameter: 'path',
      expr: { op: 'requiredIf', field: 'path', when: 'protocol', in: ['HTTP', 'HTTPS'] },
    });
    expect(byId('table8.http_code.required_if_protocol')).toMatchObject({
      kind: 'semantic',
      table: 'Table 8',
      parameter: 'http_code',
      expr: { op: 'requiredIf', field: 'http_code', when: 'protocol', in: ['HTTP'] },
    });
    expect(byId('table8.http_code.range_order')).toMatchObject({
      kind: 'semantic',
      table: 'Table 8',
      parameter: 'http_code',
      expr: { op: 'rangesAscending', field: 'http_code' },
    });
    expect([...(schemaOf('Table 8')['x-rules'] as string[])].sort()).toEqual([
      'table8.http_code.range_order',
      'table8.http_code.required_if_protocol',
      'table8.path.required_if_protocol',
      'table8.timeout.lt_time_interval',
    ]);
    const withExpr = rules
      .filter((r) => r.expr)
      .map((r) => r.id)
      .sort();
    expect(withExpr).toEqual([
      'table7.ecs_id.required_if_member_type',
      'table7.ecs_name.required_if_member_type',
      'table8.http_code.range_order',
      'table8.http_code.required_if_protocol',
      'table8.path.required_if_protocol',
      'table8.timeout.lt_time_interval',
    ]);
  });

  it('carries the ECS rules of Table 7, whose condition sits on the enclosing Table 5 entry (errata "conditions")', () => {
    for (const field of ['ecs_id', 'ecs_name']) {
      expect(rules.find((r) => r.id === `table7.${field}.required_if_member_type`)).toMatchObject({
        kind: 'semantic',
        table: 'Table 7',
        parameter: field,
        text: 'This parameter is mandatory when the backend instance type is ECS.',
        source: 'page + errata',
        reason: expect.stringContaining('"the backend instance type" is Table 5 member_type'),
        expr: {
          op: 'requiredIf',
          field,
          when: 'member_type',
          in: ['ecs'],
          enclosing: { object: 'ProjectVpcChannelInfo', table: 'Table 5', path: ['members', '*'] },
        },
      });
    }
    expect(schemaOf('Table 7')['x-rules']).toEqual([
      'table7.ecs_id.required_if_member_type',
      'table7.ecs_name.required_if_member_type',
    ]);
  });

  it('every registry id is unique', () => {
    const ids = rules.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('openapi.json', () => {
  const doc = JSON.parse(readFileSync(join(generatedDir, 'openapi.json'), 'utf8')) as Record<string, any>;

  it('validates against the OpenAPI 3.1 schema', async () => {
    const validator = new Validator();
    const res = await validator.validate(structuredClone(doc));
    expect(res.errors, JSON.stringify(res.errors, null, 2)).toBeUndefined();
    expect(res.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it('has only internal $refs, each resolving inside the document', () => {
    const refs: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) k === '$ref' ? refs.push(String(x)) : walk(x);
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((r) => !r.startsWith('#/'))).toEqual([]);
    const resolve = (r: string) =>
      r
        .slice(2)
        .split('/')
        .reduce<any>((v, k) => v?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    expect(refs.filter((r) => resolve(r) === undefined)).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('.schema.json');
  });

  const op = () => doc.paths['/v2/{project_id}/apic/vpc-channels/syncs'].post;
  const example = (status?: number) =>
    operation.examples.find((e) =>
      status === undefined ? e.kind === 'request' : e.kind === 'response' && e.status === status,
    )!.json;

  // The page's examples, as the export names them (corrected where the errata say the tables win:
  // test/schemas/openapi.test.ts holds those corrections against the page).
  const corrected = (status: number) => {
    const examples = Object.values(op().responses[String(status)].content['application/json'].examples) as any[];
    expect(examples.length).toBeGreaterThan(0);
    return examples[0];
  };

  it.each([
    [201, 'OK', 'Response201'],
    [400, 'Bad Request', 'Response400'],
    [401, 'Unauthorized', 'Response401'],
    [403, 'Forbidden', 'Response403'],
    [500, 'Internal Server Error', 'Response500'],
  ])('documents %i %s with an application/json schema and the page example', (status, description, schemaName) => {
    const r = op().responses[String(status)];
    expect(r.description).toBe(description);
    expect(r.content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${schemaName}` });
    const named = corrected(status);
    const changes = (named['x-example-corrections'] ?? []) as { pointer: string; value: unknown }[];
    const page = structuredClone(example(status)) as any;
    for (const c of changes) {
      const keys = c.pointer.split('/').slice(1);
      const last = keys.pop()!;
      keys.reduce((v, k) => v[k], page)[last] = c.value;
    }
    expect(named.value).toEqual(page);
    expect(doc.components.schemas[schemaName]).toBeDefined();
  });

  it('documents exactly the page statuses', () => {
    expect(Object.keys(op().responses).sort()).toEqual(['201', '400', '401', '403', '500']);
  });

  it('has the request body (required, with the page example), path and header parameters', () => {
    const body = op().requestBody;
    expect(body.required).toBe(true);
    expect(body.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RequestBody' });
    expect(body.content['application/json'].examples['page-example'].value).toEqual(example());
    expect(
      op().parameters.map((p: { name: string; in: string; required: boolean }) => [p.name, p.in, p.required]),
    ).toEqual([
      ['project_id', 'path', true],
      ['X-Auth-Token', 'header', true],
    ]);
  });

  it('carries every generated schema as a component', () => {
    expect(Object.keys(doc.components.schemas).sort()).toEqual(Object.keys(schemas).sort());
  });
});

describe('openapi-3.0.json', () => {
  const doc = JSON.parse(readFileSync(join(generatedDir, 'openapi-3.0.json'), 'utf8')) as Record<string, any>;

  it('validates against the OpenAPI 3.0 schema', async () => {
    const validator = new Validator();
    const res = await validator.validate(structuredClone(doc));
    expect(res.errors, JSON.stringify(res.errors, null, 2)).toBeUndefined();
    expect(res.valid).toBe(true);
    expect(validator.version).toBe('3.0');
  });
});
