// Verdicts and exit codes from case records: failures gate, waivers waive until they expire, and a
// case that never produced a record (or a persistently throttled one) makes the run inconclusive.
import { describe, expect, test } from 'vitest';
import { assembleReport, type Waiver } from '../../reports/assemble.ts';
import type { CaseRecord } from '../../reports/model.ts';

const rec = (
  id: string,
  outcome: CaseRecord['outcome'],
  ruleIds: string[] = [],
  extra: Partial<CaseRecord> = {},
): CaseRecord => ({
  id,
  suite: 'negative',
  kind: 'schema-invalid',
  description: id,
  rule: { ruleId: ruleIds[0] ?? 'status_codes.documented', table: 'Table 3', parameter: 'x', text: 'words' },
  seed: 1,
  outcome,
  checks: ruleIds.length
    ? [
        {
          check: 'negative_data_rejection',
          outcome: outcome === 'failed' ? 'failed' : 'passed',
          messages: ['m'],
          citations: ruleIds.map((r) => ({ ruleId: r, table: 'Table 3', parameter: 'x', text: 'w' })),
        },
      ]
    : [],
  failures: outcome === 'failed' ? ['m'] : [],
  ...extra,
});
const run = (records: CaseRecord[], waivers: Waiver[] = [], expected = records, extra = {}) =>
  assembleReport({
    ...extra,
    records,
    expected: expected.map((r) => ({ ...r, outcome: 'not_run', checks: [], failures: [] })),
    waivers,
    documentedStatuses: [201, 400],
    rules: [],
    now: new Date('2026-11-25T00:00:00Z'),
    meta: {
      tool: { name: 't', version: '0' },
      node: 'v20',
      pageSha256: 'p',
      schemasSha256: 's',
      target: { url: 'http://127.0.0.1', embedded: true },
      seed: 1,
      durationMs: 1,
    },
  });

describe('assembleReport', () => {
  test('all passed: conformant, exit 0; any failure: exit 1', () => {
    expect(run([rec('a', 'passed'), rec('b', 'warning'), rec('c', 'skipped')]).exitCode).toBe(0);
    expect(run([rec('a', 'passed'), rec('b', 'failed', ['table3.x.type'])])).toMatchObject({
      exitCode: 1,
      verdict: 'not_conformant',
    });
    expect(run([rec('a', 'timeout')]).exitCode).toBe(1);
  });
  test('a waiver covering every failing citation waives the case; an expired one does not', () => {
    const r = run([rec('b', 'failed', ['table3.x.type'])], [{ ruleId: 'table3.x.type', reason: 'ticket' }]);
    expect(r).toMatchObject({ exitCode: 0, summary: { waived: 1, failed: 0 } });
    expect(r.waivers[0]).toMatchObject({ used: 1, expired: false });
    const e = run(
      [rec('b', 'failed', ['table3.x.type'])],
      [{ ruleId: 'table3.x.type', reason: 'ticket', expires: '2026-01-01' }],
    );
    expect(e).toMatchObject({ exitCode: 1 });
    expect(e.waivers[0]).toMatchObject({ used: 0, expired: true });
    // A waiver of one rule does not waive a case that also breaks another.
    expect(
      run([rec('b', 'failed', ['table3.x.type', 'table3.y.type'])], [{ ruleId: 'table3.x.type', reason: 't' }])
        .exitCode,
    ).toBe(1);
  });
  test('a case without a record, an error of ours, or persistent throttling: inconclusive, exit 2', () => {
    const missing = run([rec('a', 'passed')], [], [rec('a', 'passed'), rec('b', 'passed')]);
    expect(missing).toMatchObject({ exitCode: 2, verdict: 'inconclusive' });
    expect(missing.inconclusiveReason).toMatch(/produced no record/);
    expect(run([rec('a', 'error')]).exitCode).toBe(2);
    expect(
      run([rec('a', 'not_run', [], { inconclusive: 'throttled', reason: 'throttled: 429' })]).inconclusiveReason,
    ).toMatch(/throttling/);
  });
  test('coverage counts every documented status; cases are sorted by id', () => {
    const r = run([
      rec('b', 'passed', [], { response: { status: 201, headers: {}, body: '', bodyTruncated: false } }),
      rec('a', 'passed'),
    ]);
    expect(r.coverage).toEqual([
      { status: 201, hit: true, cases: 1 },
      { status: 400, hit: false, cases: 0 },
    ]);
    expect(r.cases.map((c) => c.id)).toEqual(['a', 'b']);
  });

  test('a run in which nothing was sent and judged cannot pass: exit 2, "nothing was tested"', () => {
    const r = run([rec('a', 'skipped', [], { reason: 'r', enable: 'give --x' }), rec('b', 'not_run')]);
    expect(r).toMatchObject({ exitCode: 2, verdict: 'inconclusive', judged: 0 });
    expect(r.inconclusiveReason).toMatch(/^nothing was tested/);
    expect(run([rec('a', 'skipped'), rec('b', 'warning')]).exitCode).toBe(0); // a warning was sent and judged
  });
  test('--fail-on-skip turns a skip into exit 2; a failure still wins (1 > 2 > 0)', () => {
    const skipped = [rec('a', 'passed'), rec('b', 'skipped')];
    expect(run(skipped).exitCode).toBe(0);
    const gate = run(skipped, [], skipped, { failOnSkip: true });
    expect(gate.exitCode).toBe(2);
    expect(gate.inconclusiveReason).toMatch(/1 case\(s\) skipped and --fail-on-skip/);
    const failing = [...skipped, rec('c', 'failed', ['table3.x.type'])];
    expect(run(failing, [], failing, { failOnSkip: true }).exitCode).toBe(1);
  });
  test('a credential that ended the run: exit 2, or 1 when failures were found first; a warning either way', () => {
    const expired = rec('b', 'not_run', [], { reason: 'token expired or revoked: x', inconclusive: 'credential' });
    const ended = run([rec('a', 'passed'), expired]);
    expect(ended.exitCode).toBe(2);
    expect(ended.inconclusiveReason).toMatch(/the credential ended the run: token expired or revoked/);
    expect(ended.warnings.join(' ')).toMatch(/the credential ended the run/);
    const withFailure = run([rec('a', 'failed', ['table3.x.type']), expired]);
    expect(withFailure.exitCode).toBe(1);
    expect(withFailure.inconclusiveReason).toBeUndefined();
    expect(withFailure.warnings.join(' ')).toMatch(/the credential ended the run/);
  });
  test('skipped and not-run cases are grouped by reason and what enables them, largest group first', () => {
    const r = run([
      rec('a', 'skipped', [], { reason: 'needs ids', enable: 'give --vpc-channel-id' }),
      rec('b', 'skipped', [], { reason: 'needs ids', enable: 'give --vpc-channel-id' }),
      rec('c', 'skipped', [], { reason: 'needs ids', enable: 'give --instance-ids' }),
      rec('d', 'not_run', [], { reason: 'stopped', enable: 'check the target' }),
      rec('e', 'passed'),
    ]);
    expect(r.skipGroups).toEqual([
      { outcome: 'skipped', reason: 'needs ids', enable: 'give --vpc-channel-id', count: 2, cases: ['a', 'b'] },
      { outcome: 'skipped', reason: 'needs ids', enable: 'give --instance-ids', count: 1, cases: ['c'] },
      { outcome: 'not_run', reason: 'stopped', enable: 'check the target', count: 1, cases: ['d'] },
    ]);
  });
  test('side effects: every pair a 2xx reported, counted once per case, marked when both ids were given', () => {
    const synced = (pairs: [string, string][]) => ({
      synced: pairs.map(([channel, instance]) => ({ channel, instance })),
    });
    const records = [
      rec('a', 'passed', [], synced([['c1', 'i1']])),
      rec(
        'b',
        'failed',
        ['table3.x.type'],
        synced([
          ['c1', 'i1'],
          ['c9', 'i1'],
        ]),
      ),
    ];
    const r = run(records, [], records, { named: { vpcChannelIds: ['c1'], instanceIds: ['i1'] } });
    expect(r.sideEffects).toEqual({
      given: { vpcChannelIds: ['c1'], instanceIds: ['i1'] },
      pairs: [
        { channel: 'c1', instance: 'i1', cases: 2, firstCase: 'a', named: true },
        { channel: 'c9', instance: 'i1', cases: 1, firstCase: 'b', named: false },
      ],
      more: 0,
    });
  });
  test('effects are counted per case, with how many of each were judged', () => {
    const r = run([
      rec('a', 'passed', [], { effect: 'sync' }),
      rec('b', 'skipped', [], { effect: 'sync' }),
      rec('c', 'passed', [], { effect: 'none' }),
    ]);
    expect(r.effects).toEqual({
      sync: { cases: 2, judged: 1 },
      maybe: { cases: 0, judged: 0 },
      none: { cases: 1, judged: 1 },
    });
  });
});

describe('the rule coverage matrix', () => {
  const RULES = [
    { id: 'table3.x.type', table: 'Table 3', parameter: 'x', scope: 'case' as const },
    { id: 'table3.y.type', table: 'Table 3', parameter: 'y', scope: 'case' as const },
    { id: 'table5.port.maximum', table: 'Table 5', parameter: 'port', scope: [201] },
    { id: 'table5.dict_code.pattern', table: 'Table 5', parameter: 'dict_code', scope: [201] },
    { id: 'table15.error_code.type', table: 'Table 15', parameter: 'error_code', scope: [500] },
    { id: 'status_codes.documented', table: 'Status Codes', parameter: '(status)', scope: 'answer' as const },
    { id: 'table8.timeout.lt_time_interval', table: 'Table 8', parameter: 'timeout', scope: [201] },
  ];
  const answered = (status: number) => ({
    request: { method: 'POST', url: 'u', headers: {}, body: null },
    response: { status, headers: {}, body: '', bodyTruncated: false },
  });
  const held = (ids: string[], outcome: 'passed' | 'failed' = 'passed') => ({
    check: 'response_schema_conformance',
    outcome,
    messages: [],
    citations: [],
    established: ids,
  });
  const matrix = (records: CaseRecord[], waivers: Waiver[] = []) =>
    Object.fromEntries(
      assembleReport({
        records,
        expected: records.map((r) => ({ ...r, outcome: 'not_run', checks: [], failures: [] })),
        waivers,
        documentedStatuses: [201, 400],
        rules: RULES,
        now: new Date('2026-11-25T00:00:00Z'),
        meta: {
          tool: { name: 't', version: '0' },
          node: 'v20',
          pageSha256: 'p',
          schemasSha256: 's',
          target: { url: 'http://127.0.0.1', embedded: true },
          seed: 1,
          durationMs: 1,
        },
      }).ruleCoverage.map((e) => [e.ruleId, e]),
    );

  test('failed, passed, not observed and not tested, with counts and the first case by id', () => {
    const m = matrix([
      rec('n2', 'failed', ['table3.x.type'], answered(201)),
      rec('n1', 'failed', ['table3.x.type'], answered(201)),
      rec('p2', 'passed', [], { ...answered(201), checks: [held(['table5.port.maximum', 'status_codes.documented'])] }),
      rec('p1', 'passed', [], { ...answered(201), checks: [held(['table5.port.maximum'])] }),
      rec('s', 'skipped', ['table3.y.type']),
    ]);
    expect(m['table3.x.type']).toMatchObject({ status: 'failed', failed: 2, passed: 0, example: 'n1' });
    expect(m['table5.port.maximum']).toMatchObject({ status: 'passed', failed: 0, passed: 2, example: 'p1' });
    expect(m['status_codes.documented']).toMatchObject({ status: 'passed', passed: 1, example: 'p2' });
    // 201s came, but no dict_code, and no pair of timeout and time_interval, was in them.
    expect(m['table5.dict_code.pattern']).toMatchObject({ status: 'not_observed', failed: 0, passed: 0 });
    expect(m['table8.timeout.lt_time_interval'].status).toBe('not_observed');
    expect(m['table5.dict_code.pattern'].example).toBeUndefined();
    // No 500 was answered (Table 15), and the only case aimed at table3.y.type was skipped.
    expect(m['table15.error_code.type'].status).toBe('not_tested');
    expect(m['table3.y.type'].status).toBe('not_tested');
  });

  test('a failure anywhere wins over passes elsewhere; an actively waived rule is waived', () => {
    const records = [
      rec('a', 'passed', [], { ...answered(201), checks: [held(['table5.port.maximum'])] }),
      rec('b', 'failed', ['table5.port.maximum'], answered(201)),
    ];
    expect(matrix(records)['table5.port.maximum']).toMatchObject({ status: 'failed', failed: 1, passed: 1 });
    const waived = matrix(records, [{ ruleId: 'table5.port.maximum', reason: 'r' }]);
    expect(waived['table5.port.maximum'].status).toBe('waived');
    const expired = matrix(records, [{ ruleId: 'table5.port.maximum', reason: 'r', expires: '2020-01-01' }]);
    expect(expired['table5.port.maximum'].status).toBe('failed');
  });

  test('a case aimed at a rule exercises it even when no check established it; our own errors count for nothing', () => {
    const m = matrix([
      rec('w', 'warning', ['table3.y.type'], { ...answered(400), checks: [] }),
      rec('e', 'error', [], { ...answered(201), checks: [held(['table5.port.maximum'])] }),
    ]);
    expect(m['table3.y.type'].status).toBe('not_observed');
    expect(m['table5.port.maximum']).toMatchObject({ status: 'not_observed', passed: 0 });
  });
});
