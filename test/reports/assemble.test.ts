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
const run = (records: CaseRecord[], waivers: Waiver[] = [], expected = records) =>
  assembleReport({
    records,
    expected: expected.map((r) => ({ ...r, outcome: 'not_run', checks: [], failures: [] })),
    waivers,
    documentedStatuses: [201, 400],
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
});
