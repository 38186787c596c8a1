// One Description cell at a time, compiled through compile() in the seed's layout: what the compiler
// reads from it (a pattern, an enum, a default, a bound) and what it sends to review instead. A pattern is
// emitted only when every character rule of the cell was read; a doubtful value is never an enum.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readErrata, UsageError } from '../../schemas/build.ts';
import { type Compiled, CompileError, compile, type JsonSchema } from '../../schemas/compiler/compile.ts';
import { bullet, cells, noErrata, prelude, statusCodes, table, thrown } from './page-builder.ts';

const pageOf = (type: string, desc: string[]) =>
  cells(
    prelude(),
    'Response Parameters',
    'Status code: 200',
    table(1, 'Response body parameters', [['a', type, ...desc]]),
  );

/** The keywords of row "a" (no provenance), its review reasons and its conflicts. */
function cell(type: string, ...desc: string[]) {
  const c = compile(pageOf(type, desc), noErrata());
  const { 'x-doc': _doc, ...keywords } = (c.schemas.Response200.properties as Record<string, JsonSchema>).a;
  return { keywords, why: c.review.map((r) => r.why), conflicts: c.conflicts };
}

describe('charset cells: a pattern only when every character rule was read', () => {
  it.each([
    [
      'Letters, digits, hyphens (-), and underscores (_) are allowed. The value must start with a letter.',
      '^[A-Za-z][A-Za-z0-9_-]*$',
      ['abc', 'a-1_b', 'Z'],
      ['9abc', '-a', 'a b', 'a.b', ''],
    ],
    [
      'Only letters, digits, and underscores (_) are allowed. The first character must be a letter.',
      '^[A-Za-z][A-Za-z0-9_]*$',
      ['a9_', 'Q'],
      ['9abc', '_a', 'a-b'],
    ],
    [
      'Only letters, digits, hyphens, underscores, and periods are allowed. It must start and end with a letter or digit.',
      '^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9])$',
      ['a', '9', 'a.b-c_9', 'ab'],
      ['.a', 'a.', '-', 'a_', 'a b', ''],
    ],
    [
      'Only letters, digits, and underscores (_) are allowed; the first character cannot be a digit.',
      '^[A-Za-z_][A-Za-z0-9_]*$',
      ['_a', 'a9', 'Z'],
      ['9a', '1', 'a-b'],
    ],
    [
      'It can contain letters, digits, and underscores (_). It is case-sensitive and cannot end with an underscore.',
      '^[A-Za-z0-9_]*[A-Za-z0-9]$',
      ['a', '_a', 'a_b9'],
      ['a_', '_', 'a-b', ''],
    ],
    ['Use letters, digits, hyphens (-), and underscores (_).', '^[A-Za-z0-9_-]*$', ['a-_9', ''], ['a.b', 'a b']],
    ['Letters, digits, and underscores only.', '^[A-Za-z0-9_]*$', ['a_9'], ['a-b', 'a b']],
  ])('%s -> %s', (words, pattern, accepts, rejects) => {
    const { keywords, why } = cell('String', words);
    expect(why).toEqual([]);
    expect(keywords.pattern).toBe(pattern);
    const re = new RegExp(pattern, 'u');
    for (const ok of accepts) expect(re.test(ok), `accepts ${JSON.stringify(ok)}`).toBe(true);
    for (const bad of rejects) expect(re.test(bad), `rejects ${JSON.stringify(bad)}`).toBe(false);
  });

  it.each([
    'Only letters, digits, hyphens (-), and underscores (_) are allowed. It must start with a letter. Consecutive hyphens are not allowed.',
    'Only letters, digits, and underscores (_) are allowed. It cannot contain two underscores in a row.',
    'Only letters and digits are allowed. It must start with a letter and cannot contain spaces.',
    'Only letters and digits are allowed. The value cannot start with a symbol.',
  ])('%s: no pattern, the cell in review', (words) => {
    const { keywords, why } = cell('String', words);
    expect(keywords).not.toHaveProperty('pattern');
    expect(why.length).toBeGreaterThan(0);
  });

  it.each(['It cannot contain spaces.', 'Spaces are not allowed.', 'The value cannot start with a digit.'])(
    '%s (no list of what is allowed): review, no pattern',
    (words) => {
      const { keywords, why } = cell('String', words);
      expect(keywords).not.toHaveProperty('pattern');
      expect(why).toHaveLength(1);
    },
  );
});

describe('values and defaults in prose', () => {
  it.each([
    'The value must be Base64-encoded.',
    'The value must be 2xx.',
    'Only GET/POST is supported.',
    'The value must be JSON.',
  ])('%s: no enum, in review', (words) => {
    const { keywords, why } = cell('String', words);
    expect(keywords).not.toHaveProperty('enum');
    expect(why).toEqual(['sounds like a rule, but no recognizer reads it']);
  });

  it.each([
    ['The value is ip or ecs.', ['ip', 'ecs']],
    ['Possible values are HTTP, HTTPS and TCP.', ['HTTP', 'HTTPS', 'TCP']],
    ['The value must be V1 or V2.', ['V1', 'V2']],
    ['The value can only be BUILTIN.', ['BUILTIN']],
  ])('%s -> enum %j', (words, values) => {
    const { keywords, why } = cell('String', words);
    expect(keywords.enum).toEqual(values);
    expect(why).toEqual([]);
  });

  it.each([
    ['The default value is TCP.', 'TCP'],
    ['Default value: HTTP', 'HTTP'],
    ['The value HTTPS is used by default.', 'HTTPS'],
    ['Protocol type (default: HTTPS).', 'HTTPS'],
    ['Protocol type (default: V2).', 'V2'],
    ['The value defaults to HTTP.', 'HTTP'],
  ])('%s -> default %s', (words, value) => {
    const { keywords, why } = cell('String', words);
    expect(keywords.default).toBe(value);
    expect(why).toEqual([]);
  });

  it('a lower-case default is read when the bullets list it, and reviewed when they do not', () => {
    expect(cell('String', 'Type.', bullet('ip'), bullet('ecs'), 'The default value is ecs.').keywords).toEqual({
      type: 'string',
      enum: ['ip', 'ecs'],
      default: 'ecs',
    });
    const bare = cell('String', 'The default value is ecs.');
    expect(bare.keywords).not.toHaveProperty('default');
    expect(bare.why).toEqual(['a default in words that is a plain word, not one of the listed values']);
  });

  it.each([
    ['The value cannot exceed 100.', { maximum: 100 }],
    ['The maximum value is 100.', { maximum: 100 }],
    ['The minimum value is 1.', { minimum: 1 }],
  ])('%s -> %j', (words, bound) => {
    const { keywords, why } = cell('Integer', words);
    expect(keywords).toEqual({ type: 'integer', ...bound });
    expect(why).toEqual([]);
  });

  it('a length that "cannot exceed" is a maxLength', () => {
    expect(cell('String', 'The value cannot exceed 64 characters.').keywords).toEqual({
      type: 'string',
      maxLength: 64,
    });
  });
});

describe('bullets', () => {
  it.each([
    [bullet('1 - WRR'), bullet('2 - WLC')],
    [bullet('1：WRR'), bullet('2：WLC')],
  ])('%s, %s -> enum [1, 2]', (...bullets) => {
    const { keywords, why } = cell('Integer', 'Algorithm.', ...bullets);
    expect(keywords.enum).toEqual([1, 2]);
    expect(why).toEqual([]);
  });

  it('a list mixing values and a sentence: the sentence is read, the values go to review (not dropped)', () => {
    const { keywords, why } = cell(
      'String',
      'Protocol.',
      bullet('TCP'),
      bullet('HTTP'),
      bullet('The default value is TCP.'),
    );
    expect(keywords).toEqual({ type: 'string', default: 'TCP' });
    expect(why).toEqual([
      'a value in a bullet list that also holds sentences',
      'a value in a bullet list that also holds sentences',
    ]);
  });
});

describe('defaults stated twice, or outside the enum: conflicts', () => {
  const twice = ['Status.', 'The default value is 2.', 'Default: 1'];
  const outside = ['Status.', bullet('1'), bullet('2'), 'Default: 3'];

  it('words vs the Default: line: listed as an undecided conflict, the line stands', () => {
    const { keywords, why, conflicts } = cell('Integer', ...twice);
    expect(keywords.default).toBe(1);
    expect(why).toEqual([]);
    expect(conflicts).toEqual([
      expect.objectContaining({
        id: 'table1.a.default',
        resolvedTo: 1,
        decided: false,
        sides: [
          { value: '1', text: 'Default: 1', line: expect.any(Number) },
          { value: '2', text: 'The default value is 2.', line: expect.any(Number) },
        ],
      }),
    ]);
  });

  it('a default outside the enum: a conflict, and no default in the schema', () => {
    const { keywords, conflicts } = cell('Integer', ...outside);
    expect(keywords).toEqual({ type: 'integer', enum: [1, 2] });
    expect(conflicts).toEqual([expect.objectContaining({ id: 'table1.a.default', decided: false })]);
  });

  it('--strict stops at either, naming the id; the errata decide them', () => {
    for (const desc of [twice, outside]) {
      const e = thrown(() => compile(pageOf('Integer', desc), noErrata(), { strict: true }));
      expect(e).toBeInstanceOf(CompileError);
      expect(e.message).toContain('decide it in the errata "conflicts" with id table1.a.default');
    }
    const errata = { ...noErrata(), conflicts: [{ id: 'table1.a.default', value: 2, reason: 'the words win' }] };
    const c = compile(pageOf('Integer', twice), errata, { strict: true });
    expect((c.schemas.Response200.properties as Record<string, JsonSchema>).a.default).toBe(2);
    expect(c.conflicts[0]).toMatchObject({ resolvedTo: 2, reason: 'the words win' });
    expect(c.conflicts[0]).not.toHaveProperty('decided');
  });
});

describe('types', () => {
  it('Array of Long: items are int64 integers', () => {
    expect(cell('Array of Long', 'IDs.').keywords).toMatchObject({
      type: 'array',
      items: { type: 'integer', format: 'int64' },
    });
  });
});

describe('errata files of the wrong shape: a one-line usage error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'errata-shape-'));
  it.each([
    [
      { conditions: [{ table: 'Table 3', words: 'the group version' }] },
      "/conditions/0: must have required property 'field'",
    ],
    [{ conditions: { table: 'Table 3' } }, '/conditions: must be array'],
    [
      { required: [{ table: 'Table 3', source: 's', reason: 'r' }] },
      "/required/0: must have required property 'properties'",
    ],
    [{ conditon: [] }, '(top level): unknown key "conditon"'],
    [{ conflicts: [{ id: 'x', value: 1, reason: 'r', extra: true }] }, '/conflicts/0: unknown key "extra"'],
  ])('%j', (errata, message) => {
    const file = join(dir, 'errata.json');
    writeFileSync(file, JSON.stringify(errata));
    const e = thrown(() => readErrata(file));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toContain(`errata ${file}: ${message}`);
    expect(e.message).not.toContain('\n');
  });
});

describe('pages: tables named by their section, URI placeholders, rules that name no field', () => {
  const page = cells(
    prelude({ path: '/v2/{project_id}/things/{thing_id}' }),
    'Request Parameters',
    table(1, 'Path parameters', [['project_id', 'Yes', 'String', 'Project.']], { mandatory: true }),
    table(2, 'Request header parameters', [['X-Auth-Token', 'Yes', 'String', 'Token.']], { mandatory: true }),
    'Response Parameters',
    'Status code: 200',
    table(3, 'Response header parameters', [['X-Request-Id', 'String', 'Request ID.']]),
    table(4, 'Response body parameters', [
      ['items', 'Array of ItemInfo objects', 'Items.'],
      ['ids', 'Array of strings', 'You can add 1 to 5 members at a time and specify 1 to 10 IDs.'],
      ['timeout', 'Integer', 'Timeout.'],
      ['protocol', 'String', 'Protocol.', bullet('TCP'), bullet('HTTP')],
      ['interval', 'Integer', 'It must be less than or equal to timeout.'],
      ['path', 'String', 'This parameter is required when the value of protocol is HTTP.'],
    ]),
    table(5, 'ItemInfo fields', [['id', 'String', 'ID.']]),
    statusCodes([[200, 'OK']]),
  );
  let compiled: Compiled | undefined;
  const pageC = () => {
    compiled ??= compile(page, noErrata());
    return compiled;
  };
  const reasons = (parameter: string) =>
    pageC()
      .review.filter((r) => r.parameter === parameter)
      .map((r) => r.why);

  it('a response header table and an "X fields" object table under a status code', () => {
    expect(Object.keys(pageC().schemas)).toEqual([
      'PathParameters',
      'RequestHeaders',
      'Response200Headers',
      'Response200',
      'ItemInfo',
    ]);
    expect(pageC().operation.responses).toEqual({ 200: 'Response200' });
  });

  it('a URI placeholder no path table documents goes to review', () => {
    expect(reasons('thing_id')).toEqual(['the URI placeholder {thing_id} is documented in no path parameters table']);
  });

  it('two item counts in one sentence: neither applied, the sentence in review', () => {
    const ids = (pageC().schemas.Response200.properties as Record<string, JsonSchema>).ids;
    expect(ids).not.toHaveProperty('minItems');
    expect(ids).not.toHaveProperty('maxItems');
    expect(reasons('ids')).toEqual(['item counts of members at a time and IDs in one sentence; neither applied']);
  });

  it('"less than or equal to X" is not an lt rule on a field named "or"', () => {
    expect(reasons('interval')).toEqual(['sounds like a rule, but no recognizer reads it']);
    expect(pageC().registry.filter((r) => r.expr?.op === 'lt')).toEqual([]);
  });

  it('"required when the value of protocol is HTTP" is a required-if rule on protocol', () => {
    expect(reasons('path')).toEqual([]);
    expect(pageC().registry.find((r) => r.id === 'table4.path.required_if_protocol')?.expr).toEqual({
      op: 'requiredIf',
      field: 'path',
      when: 'protocol',
      in: ['HTTP'],
    });
  });
});
