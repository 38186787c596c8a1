// The page parser reads pages of this *format*, not just spec/page.txt: every construct is fed to it
// as a small synthetic page, and every malformed shape must be a PageFormatError naming the line.

import { describe, expect, it } from 'vitest';
import { isTypeCell, PageFormatError, parsePage, type Page } from '../../schemas/compiler/parse-page.ts';
import { readDescription } from '../../schemas/compiler/read-description.ts';
import { bullet, cells, json, lineOf, prelude, statusCodes, table, thrown } from './page-builder.ts';

const requestTable = table(
  1,
  'Request body parameters',
  [
    ['vpc_channel_id', 'No', 'String', 'VPC channel ID.'],
    ['instance_ids', 'Yes', 'Array of strings', 'List of instances.'],
    ['force_sync', 'No', 'Boolean', 'Whether to force it.', 'Default: false'],
  ],
  { mandatory: true },
);

const requestExample = { vpc_channel_id: 'abc', instance_ids: ['i1', 'i2'] };
const okExample = { items: [{ name: 'VPC_demo', port: 22, health: { protocol: 'HTTP' } }] };
const badExample = { error_code: 'APIG.2011', error_msg: 'Bad {request} with "quotes" and [brackets]' };

const fullPage = cells(
  prelude({
    title: 'Synchronizing Things',
    function: 'Synchronize things. Note: only sometimes.',
    method: 'POST',
    path: '/v2/{project_id}/things/syncs',
  }),
  'Request Parameters',
  requestTable,
  'Response Parameters',
  'Status code: 201',
  table(2, 'Response body parameters', [['items', 'Array of ItemInfo objects', 'List of items.']]),
  table(3, 'ItemInfo', [
    ['name', 'String', 'Item name.', 'The value is a string of 3 to 64 characters.'],
    ['port', 'Integer', 'Port number.', 'Minimum: 1', 'Maximum: 65535'],
    [
      'balance_strategy',
      'Integer',
      'Distribution algorithm.',
      bullet('1: WRR'),
      bullet('2: WLC'),
      bullet('3: SH'),
      bullet('4: URI hashing'),
      'Default: 1',
    ],
    ['member_type', 'String', 'Member type.', bullet('ip'), bullet('ecs'), 'Default: ecs'],
    ['service_type', 'String', 'Microservice type:', bullet('CSE'), bullet('CCE (Not supported yet.)')],
    ['health', 'HealthInfo object', 'Health check details.'],
  ]),
  table(4, 'HealthInfo', [['protocol', 'String', 'Protocol.', bullet('TCP'), bullet('HTTP')]]),
  'Status code: 400',
  table(5, 'Response body parameters', [
    ['error_code', 'String', 'Error code.'],
    ['error_msg', 'String', 'Error description.'],
  ]),
  'Example Requests',
  json(requestExample),
  'Example Responses',
  'Status code: 201',
  'OK',
  json(okExample),
  'Status code: 400',
  'Bad Request',
  json(badExample),
  statusCodes([
    [201, 'OK'],
    [400, 'Bad Request'],
  ]),
  'Error Codes',
  'See Error Codes.',
);

describe('parsePage: the constructs of the format', () => {
  const page: Page = parsePage(fullPage);
  const t = (n: number) => page.tables.find((x) => x.number === n)!;
  const row = (n: number, p: string) => t(n).rows.find((r) => r.parameter === p)!;

  it('reads the title, the Function text and the URI', () => {
    expect(page.title).toBe('Synchronizing Things');
    expect(page.functionText).toEqual(['Synchronize things. Note: only sometimes.']);
    expect(page.method).toBe('POST');
    expect(page.path).toBe('/v2/{project_id}/things/syncs');
  });

  it('finds every table with its number, title, section and line', () => {
    expect(page.tables.map((x) => [x.name, x.id, x.title, x.section])).toEqual([
      ['Table 1', 'table1', 'Request body parameters', 'Request Parameters'],
      ['Table 2', 'table2', 'Response body parameters', 'Response Parameters'],
      ['Table 3', 'table3', 'ItemInfo', 'Response Parameters'],
      ['Table 4', 'table4', 'HealthInfo', 'Response Parameters'],
      ['Table 5', 'table5', 'Response body parameters', 'Response Parameters'],
    ]);
    expect(t(3).line).toBe(lineOf(fullPage, 'Table 3 ItemInfo'));
  });

  it('reads a request table with a Mandatory column', () => {
    const t1 = t(1);
    expect(t1.hasMandatory).toBe(true);
    expect(t1.status).toBeUndefined();
    expect(t1.rows.map((r) => [r.parameter, r.mandatory, r.type])).toEqual([
      ['vpc_channel_id', false, 'String'],
      ['instance_ids', true, 'Array of strings'],
      ['force_sync', false, 'Boolean'],
    ]);
    expect(row(1, 'instance_ids').line).toBe(lineOf(fullPage, 'instance_ids'));
    expect(row(1, 'force_sync').description.map((d) => d.text)).toEqual(['Whether to force it.', 'Default: false']);
    expect(row(1, 'force_sync').description[1].no).toBe(lineOf(fullPage, 'Default: false'));
  });

  it('reads a response table without a Mandatory column', () => {
    const t3 = t(3);
    expect(t3.hasMandatory).toBe(false);
    expect(t3.rows.map((r) => r.parameter)).toEqual([
      'name',
      'port',
      'balance_strategy',
      'member_type',
      'service_type',
      'health',
    ]);
    for (const r of t3.rows) expect(r.mandatory).toBeUndefined();
  });

  it('reads "Array of strings", "Array of X objects" and "X object" types as written', () => {
    expect(row(1, 'instance_ids').type).toBe('Array of strings');
    expect(row(2, 'items').type).toBe('Array of ItemInfo objects');
    expect(row(3, 'health').type).toBe('HealthInfo object');
    for (const type of [
      'String',
      'Integer',
      'Boolean',
      'Array of strings',
      'Array of integers',
      'Array of ItemInfo objects',
      'HealthInfo object',
    ])
      expect(isTypeCell(type)).toBe(true);
    for (const type of ['Strin', 'Map<String,String>', 'Array of String', 'array of strings', 'healthInfo object'])
      expect(isTypeCell(type)).toBe(false);
  });

  it('keeps bullets in the description, and reads them as an integer enum ("1: WRR")', () => {
    const r = row(3, 'balance_strategy');
    expect(r.description.map((d) => d.text)).toEqual([
      'Distribution algorithm.',
      '• 1: WRR',
      '• 2: WLC',
      '• 3: SH',
      '• 4: URI hashing',
      'Default: 1',
    ]);
    const reading = readDescription(r);
    expect(reading.enum?.value).toEqual(['1', '2', '3', '4']);
    expect(reading.enum?.line).toBe(lineOf(fullPage, '• 1: WRR'));
    expect(reading.default).toMatchObject({ value: '1', line: lineOf(fullPage, 'Default: 1') });
  });

  it('reads string bullets as string tokens, dropping a "(note)" but keeping it for review', () => {
    expect(readDescription(row(3, 'member_type')).enum?.value).toEqual(['ip', 'ecs']);
    expect(readDescription(row(3, 'member_type')).default?.value).toBe('ecs');
    const service = readDescription(row(3, 'service_type'));
    expect(service.enum?.value).toEqual(['CSE', 'CCE']);
    expect(service.review).toEqual([
      expect.objectContaining({
        text: 'CCE (Not supported yet.)',
        line: lineOf(fullPage, '• CCE (Not supported yet.)'),
      }),
    ]);
  });

  it('reads Minimum / Maximum / Default lines with their line numbers', () => {
    const port = readDescription(row(3, 'port'));
    expect(port.minimum).toEqual({ value: 1, text: 'Minimum: 1', line: lineOf(fullPage, 'Minimum: 1') });
    expect(port.maximum).toEqual({ value: 65535, text: 'Maximum: 65535', line: lineOf(fullPage, 'Maximum: 65535') });
    expect(readDescription(row(1, 'force_sync')).default?.value).toBe('false');
    expect(readDescription(row(3, 'name')).wordsLength[0]).toMatchObject({ min: 3, max: 64 });
  });

  it('binds a "Status code: NNN" heading to the tables after it', () => {
    expect(t(1).status).toBeUndefined();
    expect([t(2).status, t(3).status, t(4).status]).toEqual([201, 201, 201]);
    expect(t(5).status).toBe(400);
  });

  it('reads multi-line JSON examples and binds each to its status', () => {
    expect(fullPage.split('\n')[lineOf(fullPage, 'OK') + 1]).toBe('{');
    expect(page.examples).toEqual([
      { kind: 'request', status: undefined, json: requestExample, line: lineOf(fullPage, 'Example Requests') + 2 },
      { kind: 'response', status: 201, json: okExample, line: lineOf(fullPage, 'OK') + 2 },
      { kind: 'response', status: 400, json: badExample, line: lineOf(fullPage, 'Bad Request') + 2 },
    ]);
  });

  it('reads the Status Codes table', () => {
    expect(page.statusCodes).toEqual([
      { status: 201, description: 'OK' },
      { status: 400, description: 'Bad Request' },
    ]);
  });

  it('accepts CRLF line ends and indented cells', () => {
    const crlf = parsePage(fullPage.replace(/\n/g, '\r\n'));
    expect(crlf.tables.map((x) => x.rows.length)).toEqual(page.tables.map((x) => x.rows.length));
    expect(crlf.examples).toEqual(page.examples);
  });
});

describe('parsePage: malformed pages are PageFormatErrors naming the line', () => {
  const formatError = (source: string): PageFormatError => {
    const e = thrown(() => parsePage(source));
    expect(e).toBeInstanceOf(PageFormatError);
    return e as PageFormatError;
  };

  it('a request-table row with a missing Mandatory cell', () => {
    const source = cells(
      prelude(),
      'Request Parameters',
      table(
        3,
        'Request body parameters',
        [
          ['vpc_channel_id', 'No', 'String', 'VPC channel ID.'],
          ['instance_ids', 'Array of strings', 'List of instances.'],
        ],
        { mandatory: true },
      ),
    );
    const e = formatError(source);
    const line = lineOf(source, 'Array of strings');
    expect(e.line).toBe(line);
    expect(e.expected).toContain('Mandatory');
    expect(e.expected).toContain('instance_ids');
    expect(e.got).toBe('Array of strings');
    expect(e.message).toContain(`line ${line}`);
    expect(e.message).toContain(
      'expected the Mandatory cell (Yes or No) of "instance_ids" in Table 3, got "Array of strings"',
    );
  });

  it('a request-table row whose Mandatory cell is not Yes/No', () => {
    const source = cells(
      prelude(),
      'Request Parameters',
      table(3, 'Request body parameters', [['force_sync', 'yes', 'Boolean', 'Force.']], { mandatory: true }),
    );
    const e = formatError(source);
    expect(e.line).toBe(lineOf(source, 'yes'));
    expect(e.message).toContain('Mandatory');
    expect(e.message).toContain('got "yes"');
  });

  it.each([
    ['Strin', true],
    ['Map<String,String>', true],
    ['Strin', false],
    ['Map<String,String>', false],
    // Lower-case and spaced generic types: a response table (no Mandatory column) once read them as description text.
    ['string', true],
    ['string', false],
    ['Map<String, String>', true],
    ['Map<String, String>', false],
    ['List<Long>', false],
    ['array of strings', false],
  ])('an unknown type %j (Mandatory column: %s) names the line and lists the known types', (type, mandatory) => {
    const rows = mandatory
      ? [
          ['vpc_channel_id', 'No', 'String', 'VPC channel ID.'],
          ['tags', 'No', type, 'Tags.'],
        ]
      : [
          ['vpc_channel_id', 'String', 'VPC channel ID.'],
          ['tags', type, 'Tags.'],
        ];
    const source = cells(
      prelude(),
      'Response Parameters',
      'Status code: 201',
      table(4, 'Response body parameters', rows, { mandatory }),
    );
    const e = formatError(source);
    const line = lineOf(source, type);
    expect(e.line).toBe(line);
    expect(e.got).toBe(type);
    expect(e.message).toContain(
      `page line ${line}: expected a type (String, Integer, Long, Number, Boolean, Object, "Array of strings|integers|numbers|booleans|Long", "Array of X objects", "X object") for "tags" in Table 4, got ${JSON.stringify(type)}`,
    );
  });

  it('an unknown type on the first row of a table', () => {
    const source = cells(
      prelude(),
      'Response Parameters',
      'Status code: 201',
      table(4, 'Response body parameters', [['labels', 'Map<String,String>', 'Labels.']]),
    );
    const e = formatError(source);
    expect(e.line).toBe(lineOf(source, 'Map<String,String>'));
    expect(e.message).toContain('"Array of X objects"');
  });

  it('a table heading with no header cells', () => {
    const source = cells(
      prelude(),
      'Request Parameters',
      'Table 3 Request body parameters',
      'vpc_channel_id',
      'No',
      'String',
      'VPC channel ID.',
    );
    const e = formatError(source);
    expect(e.line).toBe(lineOf(source, 'vpc_channel_id'));
    expect(e.message).toContain('expected the column header "Parameter" of Table 3, got "vpc_channel_id"');
  });

  it('a table heading at the end of the page', () => {
    const source = cells(prelude(), 'Request Parameters', 'Table 3 Request body parameters');
    const e = formatError(source);
    expect(e.line).toBe(lineOf(source, 'Table 3 Request body parameters'));
    expect(e.message).toContain('expected the column header "Parameter" of Table 3, got "<end of page>"');
  });

  it('a header row missing its Type cell', () => {
    const source = cells(
      prelude(),
      'Request Parameters',
      'Table 3 Request body parameters',
      'Parameter',
      'Mandatory',
      'Description',
      'force_sync',
      'No',
      'Boolean',
      'Force.',
    );
    const e = formatError(source);
    expect(e.line).toBe(lineOf(source, 'Description'));
    expect(e.message).toContain('expected the column header "Type" of Table 3, got "Description"');
  });

  it('a table with headers but no rows', () => {
    const source = cells(
      prelude(),
      'Request Parameters',
      table(3, 'Request body parameters', [], { mandatory: true }),
      'Response Parameters',
    );
    const e = formatError(source);
    expect(e.line).toBe(lineOf(source, 'Table 3 Request body parameters'));
    expect(e.message).toContain('at least one row in Table 3');
  });

  it('a row without a description', () => {
    const source = cells(
      prelude(),
      'Response Parameters',
      'Status code: 201',
      table(4, 'Response body parameters', [
        ['name', 'String'],
        ['port', 'Integer', 'Port.'],
      ]),
    );
    const e = formatError(source);
    expect(e.line).toBe(lineOf(source, 'name'));
    expect(e.message).toContain('a description for "name" in Table 4');
  });

  it('an unterminated JSON example', () => {
    const source = cells(
      prelude(),
      'Example Requests',
      '{\n  "vpc_channel_id" : "abc",\n  "instance_ids" : [ "a", "b" ]',
      statusCodes([[201, 'OK']]),
    );
    const e = formatError(source);
    expect(e.line).toBe(lineOf(source, '{'));
    expect(e.message).toContain(`page line ${e.line}: expected a complete JSON example, got "<end of page>"`);
  });

  it('a JSON example that balances but does not parse', () => {
    const source = cells(
      prelude(),
      'Example Responses',
      'Status code: 201',
      'OK',
      '{\n  "a" : 1,\n}',
      statusCodes([[201, 'OK']]),
    );
    const e = formatError(source);
    expect(e.line).toBe(lineOf(source, '{'));
    expect(e.expected).toBe('a JSON example');
    expect(e.got).toContain('"a" : 1,');
  });

  it('a status code without a description', () => {
    const source = cells(prelude(), 'Status Codes', 'Status Code', 'Description', '201', 'Error Codes');
    const e = formatError(source);
    expect(e.line).toBe(lineOf(source, '201'));
    expect(e.message).toContain('expected a description after status code 201, got "Error Codes"');
  });

  it('a page without a URI', () => {
    const e = formatError(cells('Updated on 2023-06-29 GMT+08:00', 'Title', 'Function', 'Does things.'));
    expect(e.line).toBe(1);
    expect(e.message).toContain('URI');
  });
});
