// JUnit XML reporter for CI dashboards. xmlbuilder2 does all escaping; we only strip
// characters XML 1.0 cannot carry at all (response bodies may hold any bytes).

import { create } from 'xmlbuilder2';
import type { CaseRecord, RunReport } from './model.ts';
import { sortCases } from './json.ts';

type XMLBuilder = ReturnType<typeof create>;

export const SUITES: readonly CaseRecord['suite'][] = ['positive', 'negative', 'auth', 'robustness'];

// Control characters, lone surrogates and U+FFFE/U+FFFF are not allowed anywhere in XML 1.0.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const xml = (s: string): string => s.replace(NOT_XML, '\uFFFD');

const seconds = (ms: number | undefined): string => ((ms ?? 0) / 1000).toFixed(3);
const firstLine = (s: string): string => s.split(/\r?\n/, 1)[0];

/** Failure text plus the reproducing curl line, as shown in the CI failure body. */
function detail(c: CaseRecord): string {
  const lines = c.failures.length > 0 ? [...c.failures] : [c.reason ?? c.outcome];
  if (c.curl) lines.push('', c.curl);
  return lines.join('\n');
}

function counts(cases: CaseRecord[]) {
  const n = (...o: CaseRecord['outcome'][]) => cases.filter((c) => o.includes(c.outcome)).length;
  return {
    tests: String(cases.length),
    failures: String(n('failed', 'timeout')),
    errors: String(n('error')),
    skipped: String(n('skipped', 'not_run')), // only cases that were never sent
  };
}

function properties(parent: XMLBuilder, props: [string, string | undefined][]): void {
  const el = parent.ele('properties');
  for (const [name, value] of props) if (value !== undefined) el.ele('property', { name, value: xml(value) });
}

function testcase(suite: XMLBuilder, c: CaseRecord): void {
  const tc = suite.ele('testcase', { name: xml(c.id), classname: `conformance.${c.suite}`, time: seconds(c.response?.durationMs) });
  properties(tc, [
    ['rule', c.rule.ruleId],
    ['table', c.rule.table],
    ['parameter', c.rule.parameter],
    ['waived', c.outcome === 'waived' ? c.reason ?? 'waived' : undefined],
  ]);
  switch (c.outcome) {
    case 'failed':
    case 'timeout':
      tc.ele('failure', { message: xml(firstLine(c.failures[0] ?? c.reason ?? c.outcome)), type: c.outcome }).txt(xml(detail(c)));
      break;
    case 'error': // a bug in the tool, not in the API
      tc.ele('error', { message: xml(firstLine(c.reason ?? c.failures[0] ?? 'error')), type: 'error' }).txt(xml(detail(c)));
      break;
    case 'skipped':
    case 'not_run':
      tc.ele('skipped', { message: xml(c.reason ?? c.outcome) });
      break;
    case 'warning':
      tc.ele('system-out').txt(xml(c.failures.join('\n')));
      break;
    case 'passed':
    case 'waived':
      break;
  }
}

/** One <testsuites>, one <testsuite> per suite in fixed order (empty suites included). */
export function renderJunit(report: RunReport): string {
  const cases = sortCases(report.cases);
  const root = create({ version: '1.0', encoding: 'UTF-8' })
    .ele('testsuites', { name: xml(report.tool.name), ...counts(cases), time: seconds(report.durationMs) });
  for (const name of SUITES) {
    const mine = cases.filter((c) => c.suite === name);
    const time = mine.reduce((t, c) => t + (c.response?.durationMs ?? 0), 0);
    const suite = root.ele('testsuite', { name, ...counts(mine), time: seconds(time), timestamp: xml(report.timestamp) });
    properties(suite, [
      ['tool', `${report.tool.name} ${report.tool.version}`],
      ['target', report.target.url],
      ['seed', String(report.seed)],
      ['pageSha256', report.pageSha256],
      ['schemasSha256', report.schemasSha256],
      ['verdict', report.verdict],
    ]);
    for (const c of mine) testcase(suite, c);
  }
  // wellFormed makes the serializer throw rather than emit XML a CI parser would reject.
  return root.end({ prettyPrint: true, wellFormed: true }) + '\n';
}
