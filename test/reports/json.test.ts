import { describe, expect, it } from 'vitest';
import { renderJson, stripTimings } from '../../reports/json.ts';
import { redactDeep } from '../../reports/redact.ts';
import type { RunReport } from '../../reports/model.ts';
import { makeReport, SECRETS } from './fixture.ts';

const ids = (r: { cases: { id: string }[] }) => r.cases.map((c) => c.id);

describe('renderJson', () => {
  it('round-trips through JSON.parse with cases sorted by id', () => {
    const report = makeReport();
    const parsed = JSON.parse(renderJson(report)) as RunReport;
    const sorted = [...ids(report)].sort();
    expect(ids(parsed)).toEqual(sorted);
    expect(parsed).toEqual({ ...report, cases: sorted.map((id) => report.cases.find((c) => c.id === id)) });
  });

  it('pretty-prints with 2 spaces, stable key order, trailing newline', () => {
    const text = renderJson(makeReport());
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name"')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed).slice(-1)).toEqual(['cases']);
    expect(Object.keys(parsed.cases[0]).slice(0, 4)).toEqual(['id', 'suite', 'kind', 'description']);
    expect(Object.keys(parsed.summary)).toEqual([
      'passed',
      'failed',
      'timeout',
      'not_run',
      'skipped',
      'waived',
      'warning',
      'error',
      'total',
    ]);
  });

  it('does not depend on input key order or case order', () => {
    const a = makeReport();
    const b = makeReport();
    b.cases.reverse();
    // Rebuild objects with reversed key insertion order.
    const reverseKeys = (o: object) => Object.fromEntries(Object.entries(o).reverse());
    const shuffled = reverseKeys({
      ...b,
      cases: b.cases.map((c) => reverseKeys({ ...c, rule: reverseKeys(c.rule) })),
    }) as RunReport;
    expect(renderJson(shuffled)).toBe(renderJson(a));
  });

  it('places every optional head field before the cases (a --fail-on-skip run included)', () => {
    const r: RunReport = { ...makeReport(), failOnSkip: true, inconclusiveReason: 'x' };
    const parsed = JSON.parse(renderJson(r));
    expect(parsed.failOnSkip).toBe(true);
    expect(Object.keys(parsed).at(-1)).toBe('cases');
  });

  it('matches the snapshot', async () => {
    await expect(renderJson(redactDeep(makeReport(), SECRETS))).toMatchFileSnapshot('./__snapshots__/conformance.json');
  });
});

describe('stripTimings', () => {
  it('removes timestamp and every durationMs, without touching the input', () => {
    const report = makeReport();
    const stripped = stripTimings(report);
    expect('timestamp' in stripped).toBe(false);
    expect('durationMs' in stripped).toBe(false);
    expect(renderJson(stripped)).not.toContain('durationMs');
    expect(report.timestamp).toBe('2025-11-25T18:00:00.000Z');
    expect(report.cases.some((c) => c.response?.durationMs !== undefined)).toBe(true);
  });

  it('makes two runs with the same seed compare equal', () => {
    const a = makeReport();
    const b = makeReport();
    b.timestamp = '2030-01-01T00:00:00.000Z';
    b.durationMs = 99999;
    for (const c of b.cases) if (c.response) c.response.durationMs = 1;
    expect(renderJson(a)).not.toBe(renderJson(b));
    expect(stripTimings(a)).toEqual(stripTimings(b));
    expect(renderJson(stripTimings(a))).toBe(renderJson(stripTimings(b)));
  });
});
