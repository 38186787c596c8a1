// The compiler turns the words of synthetic pages into JSON Schema keywords and registry rules, and
// refuses what it cannot settle (conflicts without a decision, dangling references, stale errata).

import { describe, expect, it } from 'vitest';
import { compile, CompileError, type Compiled, type Errata, type JsonSchema } from '../../schemas/compiler/compile.ts';
import { integerListPattern, integerRangeRegex } from '../../schemas/compiler/integer-list.ts';
import { fakerFor } from '../../generators/seed.ts';
import { validValue } from '../../generators/values.ts';
import { createValidators } from '../../schemas/validator.ts';
import { bullet, cells, json, lineOf, noErrata, prelude, statusCodes, table, thrown } from './page-builder.ts';

const NAME_WORDS =
  'The value is a string of 3 to 64 characters. Only letters, digits, hyphens (-), and underscores (_) are allowed. The value must start with an English letter.';
const HTTP_CODE_ROW = [
  'http_code',
  'String',
  'Response codes for determining a successful HTTP response. The value can be any integer within 100–599 in one of the following formats:',
  bullet('Multiple values, for example, 200,201,202'),
  bullet('Range, for example, 200-299'),
  bullet(
    'Multiple values and ranges, for example, 201,202,210-299. This parameter is required if protocol is set to http.',
  ),
];

/** A page with a request body, a 201 body, two documented objects, a 400 body, examples and status codes. */
function samplePage(opts: { healthRows?: string[][]; bodyRows?: string[][] } = {}): string {
  return cells(
    prelude({ title: 'Synchronizing Things' }),
    'Request Parameters',
    table(
      1,
      'Request body parameters',
      opts.bodyRows ?? [
        ['name', 'Yes', 'String', 'Channel name.', NAME_WORDS],
        ['port', 'Yes', 'Integer', 'Port number.', 'The value ranges from 1 to 65535.'],
        [
          'balance_strategy',
          'No',
          'Integer',
          'Distribution algorithm.',
          bullet('1: WRR'),
          bullet('2: WLC'),
          bullet('3: SH'),
          'Default: 1',
        ],
        ['member_type', 'No', 'String', 'Member type.', bullet('ip'), bullet('ecs'), 'Default: ecs'],
        ['level', 'No', 'String', 'Level code.', bullet('1: low'), bullet('2: high')],
        ['weight', 'No', 'Integer', 'Weight.', 'Minimum: 0', 'Maximum: 100'],
        ['dict_code', 'No', 'String', 'Dictionary code.', 'Minimum: 3', 'Maximum: 64'],
        ['force_sync', 'No', 'Boolean', 'Whether to force it.', 'Default: false'],
        ['ratio', 'No', 'Number', 'Ratio.', 'Default: 2'],
        ['instance_ids', 'No', 'Array of strings', 'Instances.'],
        ['health', 'No', 'HealthInfo object', 'Health check.'],
      ],
      { mandatory: true },
    ),
    'Response Parameters',
    'Status code: 201',
    table(2, 'Response body parameters', [['items', 'Array of HealthInfo objects', 'Health checks.']]),
    table(
      3,
      'HealthInfo',
      opts.healthRows ?? [
        ['protocol', 'String', 'Protocol.', bullet('TCP'), bullet('HTTP')],
        [
          'path',
          'String',
          'Destination path for health checks. This parameter is required if protocol is set to http.',
        ],
        HTTP_CODE_ROW,
        [
          'time_interval',
          'Integer',
          'Interval between consecutive checks. Unit: s. The value must be greater than that of timeout.',
          'Minimum: 5',
          'Maximum: 300',
        ],
        [
          'timeout',
          'Integer',
          'Timeout, in seconds. The value must be less than the value of time_interval.',
          'Minimum: 2',
          'Maximum: 30',
        ],
        [
          'weight',
          'Integer',
          'Backend server weight.',
          'It is valid only when the VPC channel type is set to 2.',
          'Minimum: 0',
          'Maximum: 10000',
        ],
      ],
    ),
    'Status code: 400',
    table(4, 'Response body parameters', [
      ['error_code', 'String', 'Error code.'],
      ['error_msg', 'String', 'Error description.'],
    ]),
    'Example Requests',
    json({ name: 'abc', port: 80 }),
    'Example Responses',
    'Status code: 201',
    'OK',
    json({ items: [] }),
    statusCodes([
      [201, 'OK'],
      [400, 'Bad Request'],
    ]),
  );
}

const props = (c: Compiled, name: string) => c.schemas[name].properties as Record<string, JsonSchema>;

describe('compile: keywords from the words of a page', () => {
  const source = samplePage();
  const c = compile(source, noErrata());
  const body = props(c, 'RequestBody');
  const health = props(c, 'HealthInfo');

  it('names the schemas by the role or object each table documents', () => {
    expect(Object.keys(c.schemas).sort()).toEqual(['HealthInfo', 'RequestBody', 'Response201', 'Response400']);
    expect(c.operation.objects).toEqual({
      RequestBody: { table: 'Table 1', title: 'Request body parameters' },
      Response201: { table: 'Table 2', title: 'Response body parameters' },
      HealthInfo: { table: 'Table 3', title: 'HealthInfo' },
      Response400: { table: 'Table 4', title: 'Response body parameters' },
    });
    expect(c.operation.responses).toEqual({ '201': 'Response201', '400': 'Response400' });
    expect(c.operation.request).toEqual({ path: undefined, headers: undefined, body: 'RequestBody' });
  });

  it('keeps integer enums integers', () => {
    expect(body.balance_strategy).toMatchObject({ type: 'integer', enum: [1, 2, 3] });
    for (const v of body.balance_strategy.enum as unknown[]) expect(typeof v).toBe('number');
  });

  it('keeps string enums strings, even when the tokens look numeric', () => {
    expect(body.member_type).toMatchObject({ type: 'string', enum: ['ip', 'ecs'] });
    expect(body.level).toMatchObject({ type: 'string', enum: ['1', '2'] });
    for (const v of body.level.enum as unknown[]) expect(typeof v).toBe('string');
    expect(health.protocol).toMatchObject({ type: 'string', enum: ['TCP', 'HTTP'] });
  });

  it('reads Minimum/Maximum as minimum/maximum on integers', () => {
    expect(body.weight).toMatchObject({ type: 'integer', minimum: 0, maximum: 100 });
    expect(body.weight).not.toHaveProperty('minLength');
    expect(health.timeout).toMatchObject({ minimum: 2, maximum: 30 });
  });

  it('reads Minimum/Maximum as minLength/maxLength on strings', () => {
    expect(body.dict_code).toMatchObject({ type: 'string', minLength: 3, maxLength: 64 });
    expect(body.dict_code).not.toHaveProperty('minimum');
    expect(body.dict_code).not.toHaveProperty('maximum');
  });

  it('reads Default as a typed default', () => {
    expect(body.balance_strategy.default).toBe(1);
    expect(body.member_type.default).toBe('ecs');
    expect(body.force_sync).toMatchObject({ type: 'boolean', default: false });
    expect(body.ratio).toMatchObject({ type: 'number', default: 2 });
  });

  it('reads "a string of 3 to 64 characters ... must start with an English letter"', () => {
    expect(body.name).toMatchObject({
      type: 'string',
      minLength: 3,
      maxLength: 64,
      pattern: '^[A-Za-z][A-Za-z0-9_-]*$',
    });
    const re = new RegExp(body.name.pattern as string, 'u');
    for (const ok of ['VPC_demo', 'a-b_c9']) expect(re.test(ok)).toBe(true);
    for (const bad of ['9abc', '_abc', 'ab c', 'ab.c']) expect(re.test(bad)).toBe(false);
    expect(c.registry.find((r) => r.id === 'table1.name.pattern')?.text).toContain(
      'Only letters, digits, hyphens (-), and underscores (_) are allowed.',
    );
  });

  it('reads "The value ranges from 1 to 65535." as minimum/maximum', () => {
    expect(body.port).toMatchObject({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(c.registry.find((r) => r.id === 'table1.port.maximum')).toMatchObject({
      value: 65535,
      text: 'The value ranges from 1 to 65535.',
    });
  });

  it('reads the http_code grammar (sentence + bullets) as a pattern', () => {
    const pattern = health.http_code.pattern as string;
    expect(pattern).toBe(integerListPattern(100, 599, true, true));
    const re = new RegExp(pattern, 'u');
    for (const ok of ['200', '100', '599', '200-299', '201,202,210-299', '200,201,202'])
      expect(re.test(ok), ok).toBe(true);
    for (const bad of ['600', '99', '200-', 'abc', '', '200,', '0200', '200-600', ' 200', '200 ,201'])
      expect(re.test(bad), bad).toBe(false);
    expect(health.http_code['x-grammar']).toEqual({ integerList: { lo: 100, hi: 599, lists: true, ranges: true } });
  });

  it('builds exact integer range regexes', () => {
    for (const [lo, hi] of [
      [100, 599],
      [0, 9],
      [1, 65535],
      [5, 300],
      [17, 1234],
    ]) {
      const re = new RegExp(`^${integerRangeRegex(lo, hi)}$`);
      const wrong: number[] = [];
      for (let n = 0; n <= hi + 20; n++) if (re.test(String(n)) !== (n >= lo && n <= hi)) wrong.push(n);
      expect(wrong, `${lo}-${hi}: ${integerRangeRegex(lo, hi)}`).toEqual([]);
      expect(re.test(`0${lo}`)).toBe(false);
    }
  });

  it('reads "less than the value of X" and "greater than that of Y" as ONE lt rule', () => {
    const lt = c.registry.filter((r) => r.expr?.op === 'lt');
    expect(lt).toHaveLength(1);
    expect(lt[0]).toMatchObject({
      id: 'table3.timeout.lt_time_interval',
      kind: 'semantic',
      table: 'Table 3',
      parameter: 'timeout',
      expr: { op: 'lt', left: 'timeout', right: 'time_interval' },
    });
    expect(lt[0].text).toContain('less than the value of time_interval');
    expect(lt[0].text).toContain('greater than that of timeout');
    expect(c.schemas.HealthInfo['x-rules']).toContain('table3.timeout.lt_time_interval');
  });

  it('reads "required if protocol is set to http" against the protocol enum', () => {
    const r = c.registry.find((x) => x.id === 'table3.path.required_if_protocol');
    expect(r).toMatchObject({
      kind: 'semantic',
      table: 'Table 3',
      parameter: 'path',
      expr: { op: 'requiredIf', field: 'path', when: 'protocol', in: ['HTTP'] },
    });
    expect(c.registry.find((x) => x.id === 'table3.http_code.required_if_protocol')?.expr).toEqual({
      op: 'requiredIf',
      field: 'http_code',
      when: 'protocol',
      in: ['HTTP'],
    });
    expect(c.registry.find((x) => x.id === 'table3.http_code.range_order')?.expr).toEqual({
      op: 'rangesAscending',
      field: 'http_code',
    });
  });

  it('puts a rule-like sentence no recognizer reads in review, never drops it', () => {
    expect(c.review).toContainEqual({
      table: 'Table 3',
      parameter: 'weight',
      line: lineOf(source, 'It is valid only when the VPC channel type is set to 2.'),
      text: 'It is valid only when the VPC channel type is set to 2.',
      why: expect.any(String),
    });
    expect(health.weight).toMatchObject({ minimum: 0, maximum: 10000 });
  });

  it('puts a required-if naming a value the other parameter does not have in review', () => {
    const page = samplePage({
      healthRows: [
        ['protocol', 'String', 'Protocol.', bullet('TCP'), bullet('UDP')],
        ['path', 'String', 'Destination path. This parameter is required if protocol is set to http.'],
      ],
    });
    const k = compile(page, noErrata());
    expect(k.registry.some((r) => r.id === 'table3.path.required_if_protocol')).toBe(false);
    expect(k.review).toContainEqual(
      expect.objectContaining({
        table: 'Table 3',
        parameter: 'path',
        text: 'This parameter is required if protocol is set to http.',
      }),
    );
  });

  it('puts a length in words on a number, or a numeric range on a string, in review instead of applying it', () => {
    const page = samplePage({
      healthRows: [
        ['protocol', 'String', 'Protocol.', bullet('TCP'), bullet('HTTP')],
        ['code', 'String', 'Status code. The value ranges from 200 to 299.'],
        ['count', 'Integer', 'Count. The value is a string of 1 to 5 characters.'],
      ],
    });
    const k = compile(page, noErrata());
    expect(props(k, 'HealthInfo').code).not.toHaveProperty('minimum');
    expect(props(k, 'HealthInfo').code).not.toHaveProperty('minLength');
    expect(props(k, 'HealthInfo').count).not.toHaveProperty('maxLength');
    expect(k.review).toContainEqual(
      expect.objectContaining({
        table: 'Table 3',
        parameter: 'code',
        text: 'The value ranges from 200 to 299.',
        why: 'a numeric range in words on a parameter of type string',
      }),
    );
    expect(k.review).toContainEqual(
      expect.objectContaining({
        table: 'Table 3',
        parameter: 'count',
        text: 'The value is a string of 1 to 5 characters.',
        why: 'a length in words on a parameter of type integer',
      }),
    );
  });

  it('carries Mandatory Yes into required', () => {
    expect(c.schemas.RequestBody.required).toEqual(['name', 'port']);
    expect(c.registry.find((r) => r.id === 'table1.name.required')).toMatchObject({
      kind: 'schema',
      keyword: 'required',
      table: 'Table 1',
      parameter: 'name',
    });
  });

  it('types arrays and object references', () => {
    expect(body.instance_ids).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(body.health).toMatchObject({ type: 'object', $ref: 'HealthInfo.schema.json' });
    expect(props(c, 'Response201').items).toMatchObject({
      type: 'array',
      items: { type: 'object', $ref: 'HealthInfo.schema.json' },
    });
  });

  it('gives every property (and array item) an x-doc {id, table, parameter, text}', () => {
    for (const [name, schema] of Object.entries(c.schemas)) {
      const table = c.operation.objects[name].table;
      for (const [p, prop] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
        expect(prop['x-doc'], `${name}.${p}`).toEqual({
          id: `${table.replace('Table ', 'table')}.${p}`,
          table,
          parameter: p,
          text: expect.any(String),
        });
        expect((prop['x-doc'] as { text: string }).text.length).toBeGreaterThan(0);
        const items = prop.items as JsonSchema | undefined;
        if (items)
          expect(items['x-doc']).toMatchObject({
            id: `${table.replace('Table ', 'table')}.${p}.items`,
            table,
            parameter: `${p}[]`,
          });
      }
    }
    expect(body.name['x-doc']).toEqual({
      id: 'table1.name',
      table: 'Table 1',
      parameter: 'name',
      text: 'Channel name.',
    });
  });

  it('gives every registry rule a unique id, a table, a parameter and words', () => {
    const ids = c.registry.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of c.registry) {
      expect(r.table, r.id).toMatch(/\S/);
      expect(r.parameter, r.id).toMatch(/\S/);
      expect(r.text, r.id).toMatch(/\S/);
    }
  });
});

describe('compile: bounds stated twice', () => {
  const ecsRows = (maximum: string) => [
    [
      'ecs_id',
      'String',
      'Backend ECS ID',
      'This parameter is mandatory when the backend instance type is ECS. It can include letters, digits, hyphens (-), and underscores (_) (max. 64 characters).',
      `Maximum: ${maximum}`,
    ],
  ];

  it('under --strict, refuses a words-vs-Maximum disagreement that the errata does not decide, naming the id', () => {
    const source = samplePage({ healthRows: ecsRows('255') });
    const e = thrown(() => compile(source, noErrata(), { strict: true }));
    expect(e).toBeInstanceOf(CompileError);
    expect(e.message).toContain('id table3.ecs_id.maxLength');
    expect(e.message).toContain('the errata "conflicts"');
    expect(e.message).toContain(`255 ("Maximum: 255", line ${lineOf(source, 'Maximum: 255')})`);
    expect(e.message).toContain('64 (');
  });

  it('without a decision, keeps going: the looser value in the schema, the stricter for generation, listed as undecided', () => {
    const source = samplePage({ healthRows: ecsRows('255') });
    const c = compile(source, noErrata());
    expect(props(c, 'HealthInfo').ecs_id).toMatchObject({ maxLength: 255, 'x-stricter': { maxLength: 64 } });
    expect(c.conflicts).toEqual([
      expect.objectContaining({
        id: 'table3.ecs_id.maxLength',
        resolvedTo: 255,
        stricter: 64,
        decided: false,
        reason: expect.stringContaining('looser 255'),
      }),
    ]);
    expect(c.registry.find((r) => r.id === 'table3.ecs_id.maxLength')).toMatchObject({ value: 255, source: 'page' });
    // A lower bound stated twice: the looser is the smaller one.
    const low = compile(
      samplePage({
        healthRows: [['code', 'String', 'Code. The value is a string of 3 to 64 characters.', 'Minimum: 1']],
      }),
      noErrata(),
    );
    expect(props(low, 'HealthInfo').code).toMatchObject({
      minLength: 1,
      maxLength: 64,
      'x-stricter': { minLength: 3 },
    });
    // --strict accepts the same page once the errata decide it.
    const decided = { ...noErrata(), conflicts: [{ id: 'table3.ecs_id.maxLength', value: 64, reason: 'words win' }] };
    expect(props(compile(source, decided, { strict: true }), 'HealthInfo').ecs_id).not.toHaveProperty('x-stricter');
  });

  it('undecided: valid values are generated within the stricter bound, validation takes the looser', () => {
    const source = samplePage({
      healthRows: [
        ['code', 'String', 'Code. The value contains 40 to 64 characters.', 'Minimum: 1'],
        ['count', 'Integer', 'Count. The value ranges from 1 to 10.', 'Maximum: 1000'],
      ],
    });
    const c = compile(source, noErrata());
    const health = props(c, 'HealthInfo');
    expect(health.count).toMatchObject({ minimum: 1, maximum: 1000, 'x-stricter': { maximum: 10 } });
    for (let seed = 1; seed <= 50; seed++) {
      const f = fakerFor(seed);
      expect(
        (validValue(health.code as never, 'code', f, { optional: 'all' }) as string).length,
      ).toBeGreaterThanOrEqual(40);
      expect(validValue(health.count as never, 'count', f, { optional: 'all' })).toBeLessThanOrEqual(10);
    }
    const v = createValidators(c.schemas, c.registry);
    expect(v.validate('HealthInfo', { code: 'x', count: 1000 })).toEqual([]);
    expect(
      v
        .validate('HealthInfo', { code: '', count: 1001 })
        .map((x) => x.ruleId)
        .sort(),
    ).toEqual(['table3.code.minLength', 'table3.count.maximum']);
  });

  it('applies the errata decision and lists the conflict', () => {
    const errata: Errata = {
      ...noErrata(),
      conflicts: [{ id: 'table3.ecs_id.maxLength', value: 255, reason: 'looser wins' }],
    };
    const source = samplePage({ healthRows: ecsRows('255') });
    const c = compile(source, errata);
    expect(props(c, 'HealthInfo').ecs_id).toMatchObject({
      type: 'string',
      maxLength: 255,
      pattern: '^[A-Za-z0-9_-]*$',
    });
    expect(c.conflicts).toEqual([
      {
        id: 'table3.ecs_id.maxLength',
        table: 'Table 3',
        parameter: 'ecs_id',
        sides: expect.arrayContaining([
          expect.objectContaining({ value: 255, line: lineOf(source, 'Maximum: 255') }),
          expect.objectContaining({ value: 64, text: expect.stringContaining('(max. 64 characters)') }),
        ]),
        resolvedTo: 255,
        reason: 'looser wins',
      },
    ]);
    expect(c.registry.find((r) => r.id === 'table3.ecs_id.maxLength')).toMatchObject({
      value: 255,
      source: 'errata',
      reason: 'looser wins',
    });
  });

  it('needs no decision when words and Maximum agree', () => {
    const c = compile(samplePage({ healthRows: ecsRows('64') }), noErrata());
    expect(props(c, 'HealthInfo').ecs_id.maxLength).toBe(64);
    expect(c.conflicts).toEqual([]);
  });

  it('still puts the unread sentence of the same cell in review', () => {
    const c = compile(samplePage({ healthRows: ecsRows('64') }), noErrata());
    expect(c.review).toContainEqual(
      expect.objectContaining({
        parameter: 'ecs_id',
        text: 'This parameter is mandatory when the backend instance type is ECS.',
      }),
    );
  });
});

describe('compile: refusals', () => {
  const compileError = (fn: () => unknown): CompileError => {
    const e = thrown(fn);
    expect(e).toBeInstanceOf(CompileError);
    return e as CompileError;
  };

  it('an "X object" naming a table that does not exist names the row and line', () => {
    const source = cells(
      prelude(),
      'Request Parameters',
      table(1, 'Request body parameters', [['health', 'No', 'GhostInfo object', 'Health check.']], { mandatory: true }),
      statusCodes([[201, 'OK']]),
    );
    const e = compileError(() => compile(source, noErrata()));
    expect(e.message).toContain(`Table 1 row "health" (line ${lineOf(source, 'health')})`);
    expect(e.message).toContain('GhostInfo');
  });

  it('an "Array of X objects" naming a missing table', () => {
    const source = cells(
      prelude(),
      'Response Parameters',
      'Status code: 201',
      table(2, 'Response body parameters', [['items', 'Array of GhostInfo objects', 'Items.']]),
    );
    const e = compileError(() => compile(source, noErrata()));
    expect(e.message).toContain(`Table 2 row "items" (line ${lineOf(source, 'items')})`);
  });

  it('a Default that is not of the parameter type', () => {
    const source = cells(
      prelude(),
      'Request Parameters',
      table(1, 'Request body parameters', [['port', 'No', 'Integer', 'Port.', 'Default: eighty']], { mandatory: true }),
    );
    const e = compileError(() => compile(source, noErrata()));
    expect(e.message).toContain('"eighty" is not a number');
  });

  const page = samplePage();
  const stale: [string, Partial<Errata>, RegExp][] = [
    [
      'a required entry for a missing table',
      { required: [{ table: 'Table 99', properties: ['name'], source: 's', reason: 'r' }] },
      /errata "required": no table Table 99/,
    ],
    [
      'a required entry for a missing parameter',
      { required: [{ table: 'Table 1', properties: ['name', 'nickname'], source: 's', reason: 'r' }] },
      /Table 1 has no parameter nickname/,
    ],
    [
      'an override of a missing parameter',
      { overrides: [{ table: 'Table 3', parameters: ['nickname'], set: { maxLength: 3 }, source: 's', reason: 'r' }] },
      /errata override for Table 3 nickname/,
    ],
    [
      'an override of a missing table',
      { overrides: [{ table: 'Table 99', parameters: ['name'], set: { maxLength: 3 }, source: 's', reason: 'r' }] },
      /errata override for Table 99 name/,
    ],
    [
      'an override of one missing parameter among present ones',
      {
        overrides: [{ table: '*', parameters: ['weight', 'nickname'], set: { maximum: 3 }, source: 's', reason: 'r' }],
      },
      /errata override for \* nickname: no such parameter/,
    ],
    [
      'an override whose "replaces" no longer matches the page',
      {
        overrides: [
          {
            table: 'Table 1',
            parameters: ['name'],
            set: { pattern: '^x$' },
            replaces: '^[a-z]*$',
            source: 's',
            reason: 'r',
          },
        ],
      },
      /expected the page to give "\^\[a-z\]\*\$"/,
    ],
    [
      'a rule id the page does not yield',
      { rules: [{ id: 'table3.method.required_if_protocol', set: { in: ['HTTP'] }, source: 's', reason: 'r' }] },
      /errata rule table3\.method\.required_if_protocol/,
    ],
    [
      'a rule id that is not a required-if rule',
      { rules: [{ id: 'table3.timeout.lt_time_interval', set: { in: ['HTTP'] }, source: 's', reason: 'r' }] },
      /errata rule table3\.timeout\.lt_time_interval/,
    ],
    [
      'a conflict id the page does not have',
      { conflicts: [{ id: 'table3.ghost.maxLength', value: 1, reason: 'r' }] },
      /errata conflict table3\.ghost\.maxLength/,
    ],
    [
      'a conflict on a bound the page states only once',
      { conflicts: [{ id: 'table1.weight.maximum', value: 1, reason: 'r' }] },
      /errata conflict table1\.weight\.maximum/,
    ],
    [
      'a page rule whose quote is gone',
      {
        pageRules: [
          {
            id: 'x.y',
            kind: 'status',
            table: 'Status Codes',
            parameter: '(status)',
            quote: 'No such words',
            text: 't',
            source: 'page',
          },
        ],
      },
      /errata page rule x\.y: its quote "No such words"/,
    ],
  ];
  it.each(stale)('%s', (_label, part, message) => {
    const e = compileError(() => compile(page, { ...noErrata(), ...part }));
    expect(e.message).toMatch(message);
  });

  it('accepts errata whose targets all exist', () => {
    const c = compile(page, {
      ...noErrata(),
      required: [{ table: 'Table 3', properties: ['protocol'], source: 's', reason: 'r' }],
      overrides: [{ table: '*', parameters: ['weight'], set: { maximum: 50 }, source: 's', reason: 'r' }],
      rules: [{ id: 'table3.path.required_if_protocol', set: { in: ['HTTP', 'HTTPS'] }, source: 's', reason: 'r' }],
      pageRules: [
        {
          id: 'status_codes.documented',
          kind: 'status',
          table: 'Status Codes',
          parameter: '(status)',
          quote: 'Bad Request',
          text: 't',
          source: 'page',
        },
      ],
    });
    expect(c.schemas.HealthInfo.required).toEqual(['protocol']);
    expect(props(c, 'RequestBody').weight.maximum).toBe(50);
    expect(props(c, 'HealthInfo').weight.maximum).toBe(50);
    expect(c.registry.find((r) => r.id === 'table3.path.required_if_protocol')?.expr).toMatchObject({
      in: ['HTTP', 'HTTPS'],
    });
    expect(c.registry.find((r) => r.id === 'status_codes.documented')?.value).toEqual([201, 400]);
  });
});

describe('compile: bullet lists', () => {
  const page = (rows: string[][]) =>
    cells(prelude(), 'Response Parameters', 'Status code: 200', table(1, 'Response body parameters', rows));

  it('reads VALUE, N: label, VALUE: label and VALUE (gloss) bullets, and a single-value list', () => {
    const c = compile(
      page([
        ['a', 'String', 'A.', bullet('ip'), bullet('ecs')],
        ['b', 'Integer', 'B.', bullet('1: WRR'), bullet('2: WLC')],
        ['c', 'String', 'C.', bullet('V1: global group'), bullet('V2: application-level group')],
        ['d', 'String', 'D.', bullet('PERMIT (whitelist)'), bullet('DENY (blacklist)')],
        ['e', 'String', 'E.', bullet('BUILTIN')],
      ]),
      noErrata(),
    );
    const p = props(c, 'Response200');
    expect([p.a.enum, p.b.enum, p.c.enum, p.d.enum, p.e.enum]).toEqual([
      ['ip', 'ecs'],
      [1, 2],
      ['V1', 'V2'],
      ['PERMIT', 'DENY'],
      ['BUILTIN'],
    ]);
  });

  it('reads a paragraph after the bullets as prose, and two lists that disagree as a matter for review', () => {
    const c = compile(
      page([
        ['a', 'String', 'A.', bullet('TCP'), bullet('HTTP'), 'The value must be less than b.'],
        ['b', 'String', 'B.', bullet('x'), bullet('y'), 'Enumeration values:', bullet('x'), bullet('z')],
        ['d', 'String', 'D.', bullet('x'), bullet('y'), 'Enumeration values:', bullet('x'), bullet('y')],
      ]),
      noErrata(),
    );
    const p = props(c, 'Response200');
    expect(p.a.enum).toEqual(['TCP', 'HTTP']);
    expect(p.b).not.toHaveProperty('enum');
    expect(p.d.enum).toEqual(['x', 'y']);
    expect(c.review.filter((r) => r.parameter === 'b').map((r) => r.why)).toEqual([
      'two lists of values that disagree',
      'two lists of values that disagree',
    ]);
    expect(c.registry.find((r) => r.id === 'table1.a.lt_b')).toBeDefined();
  });

  it('a Minimum/Maximum line on a boolean or an object goes to review, not into the schema', () => {
    const c = compile(
      page([
        ['a', 'Boolean', 'A.', 'Maximum: 1'],
        ['o', 'Object', 'O.', 'Minimum: 2'],
      ]),
      noErrata(),
    );
    expect(props(c, 'Response200').a).toEqual(expect.not.objectContaining({ maximum: expect.anything() }));
    expect(props(c, 'Response200').o).toEqual(expect.not.objectContaining({ minimum: expect.anything() }));
    expect(c.review.map((r) => [r.parameter, r.text, r.why])).toEqual([
      ['a', 'Maximum: 1', 'a bound on a parameter of type boolean'],
      ['o', 'Minimum: 2', 'a bound on a parameter of type object'],
    ]);
  });

  it('bullet values that are not of the row type go to review, not into an enum', () => {
    const c = compile(page([['a', 'Integer', 'A.', bullet('1-10: low'), bullet('11-20: high')]]), noErrata());
    expect(props(c, 'Response200').a).not.toHaveProperty('enum');
    expect(c.review).toContainEqual(
      expect.objectContaining({ parameter: 'a', why: 'bullet values that are not integers' }),
    );
  });

  it('a Minimum line that is not a number is a PageFormatError naming the line', () => {
    const source = page([['a', 'Integer', 'A.', 'Minimum: three']]);
    const e = thrown(() => compile(source, noErrata()));
    expect(e.message).toContain(`page line ${lineOf(source, 'Minimum: three')}: expected a number after "Minimum:"`);
  });
});
