// The OpenAPI export as other tools use it: every parameter and the body have an example in every named
// scenario (the reference server's fixtures, so the examples reach it), each scenario's exchange is what
// the suite itself expects, the response examples pass the exported schemas (the page's corrected where
// the tables win, and only there), patterns carry no escapes a generator misreads, and the conditional
// requirements are if/then (3.1) and anyOf/not (3.0) that a plain JSON Schema validator enforces.
// Prism, Dredd and Specmatic themselves run in test/peers/peers.test.ts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { readErrata, readPage, SEED_ERRATA, SEED_PAGE } from '../../schemas/build.ts';
import { compile } from '../../schemas/compiler/compile.ts';
import { buildOpenApi } from '../../schemas/compiler/openapi.ts';
import { correctExample } from '../../schemas/compiler/openapi-examples.ts';
import { operation, rules, validateRequestBody, validateResponseBody } from '../../schemas/index.ts';
import { DEFAULT_FIXTURES } from '../../server/index.ts';

const Ajv2020 = Ajv2020Module as unknown as typeof Ajv2020Module.default;
const Ajv = AjvModule as unknown as typeof AjvModule.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const generated = fileURLToPath(new URL('../../schemas/generated/', import.meta.url));
const doc = JSON.parse(readFileSync(join(generated, 'openapi.json'), 'utf8'));
const doc30 = JSON.parse(readFileSync(join(generated, 'openapi-3.0.json'), 'utf8'));
const errata = readErrata(SEED_ERRATA);
const op = doc.paths[operation.path].post;
const scenarios = errata.openapi!.scenarios!;
const pageExample = (status?: number) =>
  operation.examples.find((e) => (status === undefined ? e.kind === 'request' : e.status === status))!.json;

/** A validator of the export's components alone, as another tool reads them: x-rules is just an annotation. */
function componentValidator(d: any, ajv: InstanceType<typeof Ajv2020> | InstanceType<typeof Ajv>) {
  addFormats(ajv as never);
  ajv.addVocabulary(['x-doc', 'x-rules', 'x-grammar', 'x-list', 'x-stricter', 'x-comment']);
  ajv.addSchema({ $id: 'doc', components: d.components });
  return (name: string, data: unknown) => {
    const v = ajv.getSchema(`doc#/components/schemas/${name}`)!;
    return v(data) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

describe('named scenarios', () => {
  it('every parameter has a value in every scenario; the defaults are the reference server fixtures', () => {
    for (const p of op.parameters) expect(Object.keys(p.examples)).toEqual(scenarios.map((s) => s.name));
    const value = (name: string, scenario: string) =>
      op.parameters.find((p: any) => p.name === name).examples[scenario].value;
    expect(value('project_id', 'page-example')).toBe(DEFAULT_FIXTURES.projectId);
    expect(value('X-Auth-Token', 'page-example')).toBe(DEFAULT_FIXTURES.token);
    expect(value('X-Auth-Token', 'token-without-permission')).toBe(DEFAULT_FIXTURES.forbiddenToken);
    expect(value('X-Auth-Token', 'unknown-token')).not.toBe(DEFAULT_FIXTURES.token);
  });

  it('each request body is what the suite sends for that status: valid for 201, breaking one rule for 400', () => {
    const bodies = op.requestBody.content['application/json'].examples;
    for (const s of scenarios) {
      const violations = validateRequestBody(bodies[s.name].value).map((v) => v.ruleId);
      expect(violations, s.name).toEqual(s.status === 400 ? ['table3.force_sync.type'] : []);
    }
    expect(bodies['page-example'].value).toEqual(pageExample());
  });

  it('every response example passes the schema the suite validates with, x-rules included', () => {
    for (const [status, r] of Object.entries(op.responses) as [string, any][]) {
      const examples = Object.values(r.content['application/json'].examples) as any[];
      expect(examples.length, status).toBeGreaterThan(0);
      for (const e of examples) expect(validateResponseBody(Number(status), e.value), status).toEqual([]);
    }
  });
});

describe('the page example corrected where the tables win', () => {
  const named = op.responses['201'].content['application/json'].examples['page-example'];

  it('the corrections are exactly the places where the page example breaks the schema', () => {
    const broken = validateResponseBody(201, pageExample(201)).map((v) => v.instancePath);
    const corrected = named['x-example-corrections'].map((c: { pointer: string }) => c.pointer);
    expect([...new Set(broken)].sort()).toEqual([...corrected].sort());
    expect(corrected.length).toBe(4);
    for (const c of named['x-example-corrections']) expect(c.reason.length).toBeGreaterThan(20);
    expect(doc.info.description).toMatch(/x-example-corrections/);
  });

  it('a correction that no longer fits the page stops the build', () => {
    const stale = {
      exampleCorrections: [
        { example: '201', pointer: '/project_vpc_channels/*/type', page: 9, value: 'BUILTIN', reason: 'r' },
      ],
    };
    expect(() => correctExample('201', pageExample(201), stale)).toThrow(/is 2, not 9/);
    const gone = { exampleCorrections: [{ example: '201', pointer: '/nowhere', page: 1, value: 2, reason: 'r' }] };
    expect(() => correctExample('201', pageExample(201), gone)).toThrow(/has no \/nowhere/);
  });

  it('without the corrections the page example is left out with the reason, never exported as valid', () => {
    const c = compile(readPage(SEED_PAGE), errata);
    const bare = buildOpenApi(c, '0', 'test', { ...errata.openapi, exampleCorrections: [] }) as any;
    const media = bare.paths[operation.path].post.responses['201'].content['application/json'];
    expect(media.examples).toBeUndefined();
    expect(media['x-example-omitted']).toMatch(
      /table5\.type\.type.*table8\.protocol\.enum|table8\.protocol\.enum.*table5\.type/s,
    );
  });
});

describe('patterns other tools generate from', () => {
  const patterns: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) k === 'pattern' && typeof x === 'string' ? patterns.push(x) : walk(x);
  };
  walk(doc.components);

  it('carry no \\u escapes (json-schema-faker misreads an escaped range) and mean what the schemas say', () => {
    expect(patterns.length).toBeGreaterThan(3);
    expect(patterns.filter((p) => /\\u[0-9a-fA-F]{4}/.test(p))).toEqual([]);
    const name = new RegExp(doc.components.schemas.ProjectVpcChannelInfo.properties.name.pattern, 'u');
    for (const ok of ['VPC_demo', '测试通道', 'a-b_c']) expect(name.test(ok), ok).toBe(true);
    for (const bad of [':Vy@Iab', '9abc', '_abc', 'a b']) expect(name.test(bad), bad).toBe(false);
  });
});

describe('conditional requirements that other tools enforce', () => {
  const entry = () => structuredClone((pageExample(201) as any).project_vpc_channels[0]);
  const requiredIf = rules.filter((r) => r.expr?.op === 'requiredIf');

  it.each([
    ['3.1 if/then', () => componentValidator(doc, new Ajv2020({ strict: false, allErrors: true }))],
    ['3.0 anyOf/not', () => componentValidator(doc30, new Ajv({ strict: false, allErrors: true }))],
  ])('%s: an entry breaking each requiredIf rule is refused by a plain validator', (_, make) => {
    const validate = make();
    expect(requiredIf.length).toBeGreaterThanOrEqual(4);
    const ok = { ...entry(), type: 'BUILTIN', vpc_health_config: { ...entry().vpc_health_config, protocol: 'HTTP' } };
    expect(validate('ProjectVpcChannelInfo', ok)).toEqual([]);
    const noPath = structuredClone(ok);
    delete noPath.vpc_health_config.path;
    expect(validate('ProjectVpcChannelInfo', noPath).join()).toMatch(/path/);
    const noCode = structuredClone(ok);
    delete noCode.vpc_health_config.http_code;
    expect(validate('ProjectVpcChannelInfo', noCode).join()).toMatch(/http_code/);
    const tcp = structuredClone(noCode);
    tcp.vpc_health_config.protocol = 'TCP';
    delete tcp.vpc_health_config.path;
    expect(validate('ProjectVpcChannelInfo', tcp)).toEqual([]);
    const ecs = { ...structuredClone(ok), member_type: 'ecs', members: [{ host: '10.0.0.1', weight: 1 }] };
    expect(validate('ProjectVpcChannelInfo', ecs).join()).toMatch(/ecs_id/);
    expect(validate('ProjectVpcChannelInfo', { ...ecs, members: [{ ecs_id: 'i', ecs_name: 'n' }] })).toEqual([]);
    expect(validate('ProjectVpcChannelInfo', { ...ecs, member_type: 'ip' })).toEqual([]);
  });

  it('the rules JSON Schema cannot state are named in the document', () => {
    const others = rules.filter((r) => r.expr && r.expr.op !== 'requiredIf').map((r) => r.id);
    expect(others.length).toBeGreaterThan(0);
    for (const id of others) expect(doc.info.description).toContain(id);
  });
});
