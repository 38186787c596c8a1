import { describe, expect, test } from 'vitest';
import { failingRuleLines, runSummary, stepSummary } from '../../reports/summary.ts';
import type { RuleCoverage } from '../../reports/model.ts';
import { makeReport } from './fixture.ts';
import { summarySchemaProblems } from './report-schema.ts';

const failing = (n: number): RuleCoverage[] =>
  Array.from({ length: n }, (_, i) => ({
    ruleId: `table5.r${String(i).padStart(2, '0')}.type`,
    table: 'Table 5',
    parameter: `r${i}`,
    status: 'failed',
    failed: i + 1,
    passed: 0,
    example: `case.${i}`,
  }));
const TOOL = { name: 'roma-vpc-sync-conformance', version: '0.1.0' };

describe('the failing rules of a CI log', () => {
  test('most-broken first, with table, parameter, count and an example', () => {
    const head = makeReport();
    expect(failingRuleLines(head)).toEqual([
      'failing rules (3):',
      '  table3.instance_ids.type (Table 3, instance_ids): 2 cases, e.g. negative.table3.instance_ids.type.number',
      '  robustness.no_unlisted_status (Status Codes, (any)): 1 case, e.g. robustness.large_body',
      '  table12.error_body (Table 12, error_code): 1 case, e.g. negative.table3.instance_ids.type.string',
    ]);
  });
  test('at most 20 lines, the last saying how many more', () => {
    const head = { ...makeReport(), ruleCoverage: failing(30) };
    const lines = failingRuleLines(head);
    expect(lines).toHaveLength(20);
    expect(lines[1]).toMatch(/^ {2}table5\.r29\.type \(Table 5, r29\): 30 cases, e\.g\. case\.29$/);
    expect(lines[19]).toBe('  … and 12 more (see conformance.md)');
    expect(failingRuleLines({ ...makeReport(), ruleCoverage: failing(19) })).toHaveLength(20);
    expect(failingRuleLines({ ...makeReport(), ruleCoverage: [] })).toEqual([]);
  });
});

describe('the --format json summary and the step summary', () => {
  test('a judged run and one that could not judge both fit the published schema', () => {
    const head = makeReport();
    const judged = runSummary(TOOL, { head, exitCode: 1, files: ['/r/conformance.json'] });
    expect(summarySchemaProblems(judged)).toEqual([]);
    expect(judged.ruleCoverage).toEqual({ failed: 3, waived: 1, passed: 2, not_observed: 1, not_tested: 1 });
    const none = runSummary(TOOL, { exitCode: 2, reason: 'target unreachable', files: [] });
    expect(summarySchemaProblems(none)).toEqual([]);
    expect(stepSummary(none)).toContain('Could not judge: target unreachable');
    const md = stepSummary(judged, head);
    expect(md).toContain('### Conformance: not conformant (exit 1)');
    expect(md).toContain(
      '| `table3.instance_ids.type` | Table 3 | `instance_ids` | 2 | `negative.table3.instance_ids.type.number` |',
    );
  });
});
