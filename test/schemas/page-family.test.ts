// Pages of the same family as spec/page.txt (other ROMA Connect operations, written in its layout:
// tables, bullets, lines, the heading words) compile into exactly the schemas beside them
// (test/pages/*/expected.json, checked by hand against each page's words), every pattern they emit
// accepts what its sentence allows and rejects what it forbids, and the CLIs take any page.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readErrata } from '../../schemas/build.ts';
import { type Compiled, CompileError, compile, type JsonSchema } from '../../schemas/compiler/compile.ts';
import { createValidators } from '../../schemas/validator.ts';
import { thrown } from './page-builder.ts';
import { pageView } from './page-view.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pagesDir = join(root, 'test', 'pages');
const PAGES = readdirSync(pagesDir).sort();
const pageFile = (p: string) => join(pagesDir, p, 'page.txt');
const errataFile = (p: string) =>
  existsSync(join(pagesDir, p, 'errata.json')) ? join(pagesDir, p, 'errata.json') : undefined;
const compiled = (p: string): Compiled => compile(readFileSync(pageFile(p), 'utf8'), readErrata(errataFile(p)));
const props = (c: Compiled, name: string) => c.schemas[name].properties as Record<string, JsonSchema>;

describe.each(PAGES)('test page %s', (p) => {
  it('compiles into exactly the schemas, rules, review and conflicts of its expected.json', () => {
    const expected = JSON.parse(readFileSync(join(pagesDir, p, 'expected.json'), 'utf8'));
    expect(JSON.parse(JSON.stringify(pageView(compiled(p))))).toEqual(expected);
  });

  it("validates the page's own examples without a contradiction", () => {
    const c = compiled(p);
    const v = createValidators(c.schemas, c.registry);
    for (const ex of c.operation.examples) {
      const name = ex.kind === 'request' ? c.operation.request.body : c.operation.responses[String(ex.status)];
      expect(name, `example at line ${ex.line}`).toBeDefined();
      expect(v.validate(name!, ex.json), `example at line ${ex.line}`).toEqual([]);
    }
  });
});

it('the test pages cover the constructs of the family', () => {
  expect(PAGES).toEqual(['create-access-policy', 'create-api-group', 'create-vpc-channel', 'list-vpc-channels']);
  expect(readFileSync(pageFile('list-vpc-channels'), 'utf8')).toContain('\r\n'); // CRLF line ends
  expect(readFileSync(pageFile('list-vpc-channels'), 'utf8')).toContain('\u00a0'); // a non-breaking space
  expect(readFileSync(pageFile('create-vpc-channel'), 'utf8')).toContain('1\u201365535'); // an en dash
});

// ---------------------------------------------------------------------------------------------
// Every pattern the pages emit, on strings its sentence allows and forbids (by hand, from the words).

const PATTERNS: Record<string, { accepts: string[]; rejects: string[] }> = {
  // "It can contain 3 to 64 characters, starting with a letter. Only letters, digits, hyphens (-), and underscores (_) are allowed."
  'create-vpc-channel RequestBody.name': {
    accepts: ['VPC_demo', 'a-b_c9', 'Z'],
    rejects: ['9abc', '_abc', '-abc', 'ab c', 'ab.c', 'abç', 'ab/c', ''],
  },
  // "letters, digits, and special characters (-_)"
  'create-vpc-channel RequestBody.dict_code': {
    accepts: ['abc', '9-_x', '', '___'],
    rejects: ['a.b', 'a b', 'a/b', 'a!b'],
  },
  // "letters, digits, hyphens (-), and underscores (_)"
  'create-vpc-channel MemberInfo.ecs_id': {
    accepts: ['c2a1f7e0-5a3b', '_x_', '9'],
    rejects: ['a.b', 'a b', 'a:b'],
  },
  // "letters, digits, hyphens (-), underscores (_), and periods (.)"
  'create-vpc-channel MemberInfo.ecs_name': {
    accepts: ['ecs_web.02', 'a-b', '.x'],
    rejects: ['a b', 'a/b', 'a,b', 'a\\b'],
  },
  // "Multiple values and ranges, for example, 201,202,210-299" within 100–599
  'create-vpc-channel VpcHealthConfig.http_code': {
    accepts: ['200', '201,202,210-299', '100-599'],
    rejects: ['600', '99', '200-', '200,', 'abc', ''],
  },
  // "It can contain only letters, digits and underscores, starting with a letter."
  'create-api-group RequestBody.name': {
    accepts: ['api_group_001', 'A', 'a1_'],
    rejects: ['1abc', '_abc', 'a-b', 'a b', 'a.b'],
  },
  // "Only letters and digits are allowed. The value cannot start with a digit."
  'create-access-policy RequestBody.code': {
    accepts: ['a', 'Policy1', 'z9Z'],
    rejects: ['1abc', '9', 'a_b', 'a-b', 'a b', ''],
  },
  // "including letters, digits, periods (.), slashes (/), parentheses, colons (:), hyphens and underscores; the value must start with a letter or digit"
  'create-access-policy RequestBody.acl_name': {
    accepts: ['acl_demo', '9acl', 'a.b/c(d):e-f_g', 'Z()'],
    rejects: ['.acl', '/acl', '(acl', '-acl', '_acl', 'acl demo', 'acl,demo', 'acl!', 'acl\\x', ''],
  },
};

describe('every emitted pattern', () => {
  const emitted = PAGES.flatMap((p) => {
    const c = compiled(p);
    return Object.keys(c.schemas).flatMap((name) =>
      Object.entries(props(c, name))
        .filter(([, s]) => typeof s.pattern === 'string')
        .map(([param, s]) => [`${p} ${name}.${param}`, s.pattern as string] as const),
    );
  });

  it('has its allowed and forbidden strings listed here', () => {
    expect(emitted.map(([k]) => k).sort()).toEqual(Object.keys(PATTERNS).sort());
  });

  it.each(emitted)('%s (%s)', (key, pattern) => {
    const re = new RegExp(pattern, 'u');
    for (const ok of PATTERNS[key].accepts) expect(re.test(ok), `accepts ${JSON.stringify(ok)}`).toBe(true);
    for (const bad of PATTERNS[key].rejects) expect(re.test(bad), `rejects ${JSON.stringify(bad)}`).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the constructs at run time', () => {
  it('create-vpc-channel: a member of an ecs channel needs ecs_id and ecs_name (condition on the enclosing body)', () => {
    const c = compiled('create-vpc-channel');
    const v = createValidators(c.schemas, c.registry);
    const body = (member_type: string, member: Record<string, unknown>) => ({
      name: 'VPC_demo',
      port: 80,
      balance_strategy: 1,
      member_type,
      members: [{ ecs_id: 'a', ecs_name: 'b' }, member],
    });
    expect(v.validate('RequestBody', body('ecs', { ecs_id: 'x', ecs_name: 'y' }))).toEqual([]);
    expect(v.validate('RequestBody', body('ip', { host: '10.0.0.1' }))).toEqual([]);
    expect(
      v.validate('RequestBody', body('ecs', { host: '10.0.0.1' })).map((x) => `${x.ruleId} @ ${x.instancePath}`),
    ).toEqual([
      'table4.ecs_id.required_if_member_type @ /members/1',
      'table4.ecs_name.required_if_member_type @ /members/1',
    ]);
  });

  it('create-vpc-channel: path and http_code are required for an HTTP check (same object)', () => {
    const c = compiled('create-vpc-channel');
    const v = createValidators(c.schemas, c.registry);
    const check = { protocol: 'HTTP', threshold_normal: 2, time_interval: 10, timeout: 5 };
    expect(v.validate('VpcHealthConfig', check).map((x) => x.ruleId)).toEqual([
      'table5.path.required_if_protocol',
      'table5.http_code.required_if_protocol',
    ]);
  });

  it('create-api-group: roma_app_id is required for a V2 group (errata "conditions" map "the group version")', () => {
    const c = compiled('create-api-group');
    const v = createValidators(c.schemas, c.registry);
    expect(v.validate('RequestBody', { name: 'grp', version: 'V2' }).map((x) => x.ruleId)).toEqual([
      'table3.roma_app_id.required_if_version',
    ]);
    expect(v.validate('RequestBody', { name: 'grp', version: 'V1' })).toEqual([]);
    // Without the errata entry the sentence is left for review, never guessed.
    const bare = compile(readFileSync(pageFile('create-api-group'), 'utf8'), readErrata(undefined));
    expect(bare.registry.some((r) => r.id === 'table3.roma_app_id.required_if_version')).toBe(false);
    expect(bare.review).toContainEqual(
      expect.objectContaining({ parameter: 'roma_app_id', why: expect.stringContaining('errata "conditions"') }),
    );
  });

  it('list-vpc-channels: Long is an int64 integer; the query table is its own object', () => {
    const c = compiled('list-vpc-channels');
    const v = createValidators(c.schemas, c.registry);
    expect(c.registry.find((r) => r.id === 'table4.total.format')).toMatchObject({ keyword: 'format', value: 'int64' });
    expect(v.validate('QueryParameters', { offset: 5, limit: 500 })).toEqual([]);
    expect(v.validate('QueryParameters', { offset: 1.5 }).map((x) => x.ruleId)).toContain('table2.offset.type');
    // ajv-formats' int64 checks integer-ness only (a JS number cannot hold the int64 range exactly).
    expect(props(c, 'Response200').total).toEqual(expect.objectContaining({ type: 'integer', format: 'int64' }));
    expect(
      v
        .validate('Response200', { total: 12.5 })
        .map((x) => x.ruleId)
        .sort(),
    ).toEqual(['table4.total.format', 'table4.total.type']);
  });

  it('create-api-group: an undecided words-vs-line bound is the looser in the schema, the stricter in x-stricter', () => {
    const remark = props(compiled('create-api-group'), 'RequestBody').remark;
    expect(remark).toMatchObject({ maxLength: 1000, 'x-stricter': { maxLength: 255 } });
    const e = thrown(() =>
      compile(readFileSync(pageFile('create-api-group'), 'utf8'), readErrata(errataFile('create-api-group')), {
        strict: true,
      }),
    );
    expect(e).toBeInstanceOf(CompileError);
    expect(e.message).toContain('table3.remark.maxLength');
  });
});

// ---------------------------------------------------------------------------------------------

describe('npm run schemas -- --page FILE --out DIR and npm run spec:check -- --page FILE', () => {
  const out = mkdtempSync(join(tmpdir(), 'page-family-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const run = (script: string, ...args: string[]) =>
    spawnSync('npx', ['tsx', script, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  const generated = () =>
    Object.fromEntries(
      readdirSync(join(root, 'schemas', 'generated')).map((f) => [
        f,
        readFileSync(join(root, 'schemas', 'generated', f), 'utf8'),
      ]),
    );

  it("writes the page's schemas, registry and openapi.json into DIR and leaves the repo's own alone", () => {
    const before = generated();
    const r = run(
      'schemas/build.ts',
      '--page',
      pageFile('create-vpc-channel'),
      '--errata',
      errataFile('create-vpc-channel')!,
      '--out',
      out,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^schemas: wrote 10 files to .*\(\d+ rules, 1 sentences for review, 0 conflicts \(0 undecided\)\)\n$/,
    );
    expect(readdirSync(out).sort()).toEqual([
      'MemberInfo.schema.json',
      'PathParameters.schema.json',
      'RequestBody.schema.json',
      'RequestHeaders.schema.json',
      'Response201.schema.json',
      'Response400.schema.json',
      'VpcHealthConfig.schema.json',
      'openapi-3.0.json',
      'openapi.json',
      'registry.json',
    ]);
    const openapi = JSON.parse(readFileSync(join(out, 'openapi.json'), 'utf8'));
    const op = openapi.paths['/v2/{project_id}/apic/instances/{instance_id}/vpc-channels'].post;
    expect(op.operationId).toBe('CreatingAVpcChannel');
    expect(op.parameters.map((x: { name: string; in: string }) => `${x.in} ${x.name}`)).toEqual([
      'path project_id',
      'path instance_id',
      'header X-Auth-Token',
    ]);
    expect(generated()).toEqual(before);
    expect(
      run(
        'schemas/build.ts',
        '--page',
        pageFile('create-vpc-channel'),
        '--errata',
        errataFile('create-vpc-channel')!,
        '--out',
        out,
        '--check',
      ).status,
    ).toBe(0);
  }, 90_000);

  it('puts query parameters in the OpenAPI export', () => {
    expect(run('schemas/build.ts', '--page', pageFile('list-vpc-channels'), '--out', join(out, 'list')).status).toBe(0);
    const openapi = JSON.parse(readFileSync(join(out, 'list', 'openapi.json'), 'utf8'));
    const op = openapi.paths['/v2/{project_id}/apic/instances/{instance_id}/vpc-channels'].get;
    expect(
      op.parameters.map((x: { name: string; in: string; required: boolean }) => `${x.in} ${x.name} ${x.required}`),
    ).toEqual([
      'path project_id true',
      'path instance_id true',
      'query offset false',
      'query limit false',
      'query name false',
      'query member_type false',
      'query precise_search false',
      'header X-Auth-Token true',
    ]);
    expect(op.requestBody).toBeUndefined();
  }, 90_000);

  it('usage errors and --strict exit 2 with one line', () => {
    const noOut = run('schemas/build.ts', '--page', pageFile('create-api-group'));
    expect([noOut.status, noOut.stderr]).toEqual([
      2,
      "schemas: --page needs --out DIR (the repo's own schemas/generated/ is only for spec/page.txt)\n",
    ]);
    const missing = run('schemas/build.ts', '--page', join(out, 'nope.txt'), '--out', out);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^schemas: cannot read the page .*nope\.txt \(ENOENT\)\n$/);
    const intoRepo = run(
      'schemas/build.ts',
      '--check', // even a broken guard cannot write into the repo
      '--page',
      pageFile('create-api-group'),
      '--out',
      join(root, 'schemas', 'generated'),
    );
    expect(intoRepo.status).toBe(2);
    expect(intoRepo.stderr).toContain('give another --out DIR');
    const otherErrata = run('schemas/build.ts', '--check', '--errata', errataFile('create-api-group')!);
    expect(otherErrata.status).toBe(2);
    // The repo's page without its errata (--page alone applies none) is not the repo's output either.
    const pageAlone = run(
      'schemas/build.ts',
      '--check', // even a broken guard cannot write into the repo
      '--page',
      join(root, 'spec', 'page.txt'),
      '--out',
      join(root, 'schemas', 'generated'),
    );
    expect(pageAlone.status).toBe(2);
    const strict = run('schemas/build.ts', '--page', pageFile('create-api-group'), '--out', join(out, 'g'), '--strict');
    expect(strict.status).toBe(2);
    expect(strict.stderr).toContain('decide it in the errata "conflicts" with id table3.remark.maxLength');
    expect(strict.stderr.trim().split('\n')).toHaveLength(1);
  }, 90_000);

  it('spec:check on a GET page without a request body finds no contradiction', () => {
    const r = run('schemas/findings.ts', '--page', pageFile('list-vpc-channels'), '--json');
    expect(r.status).toBe(0);
    const { findings } = JSON.parse(r.stdout) as { findings: { verdict: string; id: string }[] };
    expect(findings.filter((f) => f.verdict === 'contradiction')).toEqual([]);
    expect(findings.map((f) => f.id)).toEqual(['review.table2.precise_search']);
  }, 90_000);

  it('spec:check reports an undecided conflict as a contradiction that nothing decides', () => {
    const r = run(
      'schemas/findings.ts',
      '--page',
      pageFile('create-api-group'),
      '--errata',
      errataFile('create-api-group')!,
      '--json',
    );
    expect(r.status).toBe(0);
    const { findings } = JSON.parse(r.stdout) as {
      findings: { id: string; verdict: string; other: string; decidedBy?: string }[];
    };
    const f = findings.find((x) => x.id === 'conflict.table3.remark.maxLength');
    expect(f).toMatchObject({ verdict: 'contradiction', other: expect.stringContaining('undecided') });
    expect(f?.decidedBy).toBeUndefined();
  }, 90_000);
});
