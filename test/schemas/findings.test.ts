// The spec check finds what the page says against itself and against the vendor evidence: each known
// contradiction of the page, with the page's words on one side and the other side's words or value.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { specFindings, type Finding } from '../../schemas/findings.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { findings, summary } = specFindings();
const all = (id: string): Finding[] => findings.filter((f) => f.id === id);
const one = (id: string): Finding => {
  const found = all(id);
  expect(found.length, `finding ${id} (found: ${findings.map((f) => f.id).join(', ')})`).toBeGreaterThan(0);
  return found[0];
};

describe('specFindings()', () => {
  it('example.201.type: Table 5 says String BUILTIN/MICROSERVICE, the example says 2', () => {
    const found = all('example.201.type');
    expect(found.map((f) => f.page)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('type: String'),
        expect.stringContaining('BUILTIN; MICROSERVICE'),
      ]),
    );
    for (const f of found) {
      expect(f).toMatchObject({ kind: 'example', table: 'Table 5', parameter: 'type', verdict: 'contradiction' });
      expect(f.other).toContain('/project_vpc_channels/0/type');
      expect(f.other).toContain('(got 2)');
      expect(f.decidedBy).toContain('Table 5 wins');
    }
  });

  it('example.201.protocol: Table 8 says TCP/HTTP/HTTPS, the example says "http"', () => {
    const f = one('example.201.protocol');
    expect(f).toMatchObject({ kind: 'example', table: 'Table 8', parameter: 'protocol', verdict: 'contradiction' });
    expect(f.page).toContain('TCP; HTTP; HTTPS');
    expect(f.other).toContain('vpc_health_config/protocol');
    expect(f.other).toContain('(got "http")');
    expect(f.decidedBy).toContain('Table 8 wins');
  });

  it('no other example contradicts the tables', () => {
    const examples = findings.filter((f) => f.kind === 'example').map((f) => f.id);
    expect([...new Set(examples)].sort()).toEqual([
      'example.201.protocol',
      'example.201.type',
      'example.400.parameterName',
    ]);
  });

  it('conflict.table7.ecs_id.maxLength: "(max. 64 characters)" vs "Maximum: 255"', () => {
    const f = one('conflict.table7.ecs_id.maxLength');
    expect(f).toMatchObject({
      kind: 'conflict',
      table: 'Table 7',
      parameter: 'ecs_id',
      verdict: 'contradiction',
      other: 'resolved to 255',
    });
    expect(f.page).toContain('"Maximum: 255"');
    expect(f.page).toContain('(max. 64 characters)');
    expect(f.decidedBy).toMatch(/\S/);
  });

  it('table7.shifted_descriptions: the descriptions of Table 7 are shifted by one row', () => {
    const f = one('table7.shifted_descriptions');
    expect(f).toMatchObject({ kind: 'description', table: 'Table 7', verdict: 'contradiction' });
    expect(f.parameter.split(', ')).toEqual(['id', 'vpc_channel_id', 'create_time', 'member_group_id']);
    expect(f.page).toContain('create_time: "VPC channel ID."');
    expect(f.page).toContain('member_group_id: "Time when the backend server is added to the VPC channel."');
    expect(f.other).toContain('shifted by one row');
  });

  it('example.400.parameterName: the 400 example names "id", which Table 3 does not have', () => {
    const f = one('example.400.parameterName');
    expect(f).toMatchObject({ kind: 'example', table: 'Table 3', parameter: 'id', verdict: 'contradiction' });
    expect(f.page).toContain('Table 3 has no parameter "id"');
    expect(f.other).toContain('parameterName:id');
    expect(f.decidedBy).toMatch(/\S/);
  });

  it.each([
    ['evidence.ProjectVpcChannelInfo.name', 'Table 5', 'name', 'pattern: "^[A-Za-z][A-Za-z0-9_-]*$"', 'CJK'],
    ['evidence.dict_code.pattern', 'Table 5', 'dict_code', 'pattern: "^[A-Za-z0-9_-]*$"', '[a-zA-Z0-9._-]'],
    ['evidence.dict_code.pattern', 'Table 6', 'dict_code', 'pattern: "^[A-Za-z0-9_-]*$"', '[a-zA-Z0-9._-]'],
    ['evidence.VpcHealthConfigInfo.path', 'Table 8', 'path', 'required if protocol is set to http', 'HTTP or HTTPS'],
    ['evidence.ProjectVpcChannelInfo.port', 'Table 5', 'port', '1 to 65535', 'no minimum/maximum'],
  ])('%s (%s %s): the page-only reading contradicts the evidence', (id, table, parameter, pageWords, otherWords) => {
    const f = all(id).find((x) => x.table === table && x.parameter === parameter);
    expect(f, `${id} for ${table} ${parameter}`).toBeDefined();
    expect(f).toMatchObject({ kind: 'evidence', verdict: 'contradiction' });
    expect(f!.page).toContain(pageWords);
    expect(f!.other).toContain(otherWords);
    expect(f!.decidedBy, 'each evidence contradiction is decided in the errata').toMatch(/\S/);
  });

  it('evidence that agrees with the page is not a finding', () => {
    for (const id of [
      'evidence.ProjectVpcChannelInfo.balance_strategy',
      'evidence.ProjectVpcChannelInfo.member_type',
      'evidence.VpcHealthConfigInfo.protocol',
      'evidence.VpcHealthConfigInfo.http_code',
      'evidence.VpcHealthConfigInfo.timeout_lt',
    ]) {
      expect(all(id), id).toEqual([]);
    }
  });

  it('review: "valid only when the VPC channel type is set to 2" (Table 7 weight)', () => {
    const f = findings.find(
      (x) => x.kind === 'review' && x.page.includes('valid only when the VPC channel type is set to 2'),
    );
    expect(f).toMatchObject({
      id: 'review.table7.weight',
      table: 'Table 7',
      parameter: 'weight',
      verdict: 'for review',
    });
  });

  it('review: the Function note on vpc_name_modifiable', () => {
    const f = findings.find((x) => x.kind === 'review' && x.page.includes('vpc_name_modifiable'));
    expect(f).toMatchObject({
      table: 'Function',
      verdict: 'for review',
      page: 'Note: This parameter is available only when vpc_name_modifiable is set to off.',
    });
  });

  // Description findings are excluded: findings.ts does not attach errata decisions to them (the
  // errata does decide table7.shifted_descriptions).
  it('every contradiction and every example finding is decided in the errata', () => {
    const undecided = findings
      .filter((f) => f.verdict === 'contradiction' && f.kind !== 'description' && !f.decidedBy)
      .map((f) => `${f.id} (${f.table} ${f.parameter})`);
    expect(undecided).toEqual([]);
  });

  it('the summary counts the findings by verdict', () => {
    expect(Object.values(summary).reduce((a, b) => a + b, 0)).toBe(findings.length);
  });
});

describe('npx tsx schemas/findings.ts', () => {
  it('runs and exits 0', () => {
    const r = spawnSync('npx', ['tsx', 'schemas/findings.ts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^spec check: \d+ findings/);
    expect(r.stdout).toContain('example.201.type');
  }, 90_000);

  it('--json prints the same findings', () => {
    const r = spawnSync('npx', ['tsx', 'schemas/findings.ts', '--json'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { findings: Finding[] };
    expect(out.findings).toEqual(findings);
  }, 90_000);
});
