// JUnit XML reporter for CI dashboards. xmlbuilder2 does all escaping; we only strip
// characters XML 1.0 cannot carry at all (response bodies may hold any bytes).
// The document keeps to the Jenkins xunit-plugin's junit-10.xsd, the strictest common reader:
// <properties> only on <testsuite>, no "skipped" on <testsuites>, a testcase holds only
// skipped/failure/error/system-out; what does not fit an attribute goes to <system-out>.

import { create, fragment } from 'xmlbuilder2';
import { exchangesOf, type CaseBrief, type CaseRecord, type ReportStream, type RunReport } from './model.ts';
import { shardWords } from './shard-words.ts';
import { durationOf, streamOf } from './stream.ts';

type XMLBuilder = ReturnType<typeof create>;

export const SUITES: readonly CaseRecord['suite'][] = ['positive', 'negative', 'auth', 'robustness'];

// Control characters, lone surrogates and U+FFFE/U+FFFF are not allowed anywhere in XML 1.0.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const xml = (s: string): string => s.replace(NOT_XML, '\uFFFD');

const seconds = (ms: number | undefined): string => ((ms ?? 0) / 1000).toFixed(3);
const firstLine = (s: string): string => s.split(/\r?\n/, 1)[0];

/** The rule ids a failing case broke: those its failing checks cite, or else its own rule. */
function brokenRules(c: CaseRecord): string[] {
  const ids = c.checks.filter((k) => k.outcome === 'failed').flatMap((k) => k.citations.map((ct) => ct.ruleId));
  return ids.length ? [...new Set(ids)] : [c.rule.ruleId];
}

/** Each failing check's messages, each led by the rules it cites; the case's failures when no check failed. */
function failureLines(c: CaseRecord): string[] {
  const failed = c.checks.filter((k) => k.outcome === 'failed');
  if (failed.length === 0)
    return (c.failures.length ? c.failures : [c.reason ?? c.outcome]).map((m) => `${c.rule.ruleId}: ${m}`);
  return failed.flatMap((k) => {
    const ids = k.citations.map((ct) => ct.ruleId).join(', ') || c.rule.ruleId;
    return (k.messages.length ? k.messages : [`${k.check} failed`]).map((m) => `${ids}: [${k.check}] ${m}`);
  });
}

/** Failure text plus the reproducing curl lines (one per request of the case, in order), as shown in the CI failure body. */
function detail(c: CaseRecord): string {
  const lines = c.outcome === 'error' ? (c.failures.length ? [...c.failures] : [c.reason ?? 'error']) : failureLines(c);
  const curls = exchangesOf(c)
    .map((x) => x.curl)
    .filter(Boolean);
  if (curls.length) lines.push('', ...curls.map((curl) => `reproduce: ${curl}`));
  return lines.join('\n');
}

/** What a testcase cannot say in attributes: the rule it exercises, and why it was waived or warned. */
function systemOut(c: CaseRecord): string {
  const lines = [`rule: ${c.rule.ruleId} (${c.rule.table}, ${c.rule.parameter}): ${c.rule.text}`];
  if (c.effect) lines.push(`effect: ${c.effect}`);
  if (c.outcome === 'waived') lines.push(`waived: ${c.reason ?? 'waived'}`);
  if (c.outcome === 'warning') lines.push(...c.failures.map((f) => `warning: ${f}`));
  return lines.join('\n');
}

function counts(cases: readonly CaseBrief[]) {
  const n = (...o: CaseBrief['outcome'][]) => cases.filter((c) => o.includes(c.outcome)).length;
  return {
    tests: String(cases.length),
    failures: String(n('failed', 'timeout')),
    errors: String(n('error')),
    skipped: String(n('skipped', 'not_run')), // only cases that were never sent
  };
}

/** junit-10.xsd allows no "skipped" count on <testsuites>. */
function totals(cases: readonly CaseBrief[]) {
  const { skipped: _, ...rest } = counts(cases);
  return rest;
}

function properties(parent: XMLBuilder, props: [string, string | undefined][]): void {
  const el = parent.ele('properties');
  for (const [name, value] of props) if (value !== undefined) el.ele('property', { name, value: xml(value) });
}

/** One <testcase>, rendered on its own at the depth it has in the document. */
function testcase(c: CaseRecord): string {
  const tc = fragment().ele('testcase', {
    name: xml(c.id),
    classname: `conformance.${c.suite}`,
    time: seconds(durationOf(c)),
  });
  switch (c.outcome) {
    case 'failed':
    case 'timeout': {
      const first = c.checks.find((k) => k.outcome === 'failed')?.messages[0] ?? c.failures[0] ?? c.reason;
      const message = `${brokenRules(c).join(', ')}: ${firstLine(first ?? c.outcome)}`;
      tc.ele('failure', { message: xml(message), type: c.outcome }).txt(xml(detail(c)));
      break;
    }
    case 'error': // a bug in the tool, not in the API
      tc.ele('error', { message: xml(firstLine(c.reason ?? c.failures[0] ?? 'error')), type: 'error' }).txt(
        xml(detail(c)),
      );
      break;
    case 'skipped':
    case 'not_run':
      tc.ele('skipped', { message: xml(c.reason ?? c.outcome) });
      break;
    case 'warning':
    case 'passed':
    case 'waived':
      break;
  }
  tc.ele('system-out').txt(xml(systemOut(c)));
  return `${tc.end({ prettyPrint: true, offset: 2, wellFormed: true })}\n`;
}

const CLOSE_SUITE = '  </testsuite>\n';

/**
 * JUnit XML as text chunks: the document with every <testsuite> and its properties (counted from
 * the briefs), and each suite's testcases (read one at a time) before the suite closes.
 * One <testsuites>, one <testsuite> per suite in fixed order (empty suites included).
 */
export function* junitChunks(stream: ReportStream): Generator<string> {
  const { head: report, briefs } = stream;
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: xml(report.tool.name),
    ...totals(briefs),
    time: seconds(report.durationMs),
  });
  for (const name of SUITES) {
    const mine = briefs.filter((c) => c.suite === name);
    const time = mine.reduce((t, c) => t + (c.durationMs ?? 0), 0);
    const suite = root.ele('testsuite', {
      name,
      ...counts(mine),
      time: seconds(time),
      timestamp: xml(report.timestamp),
    });
    properties(suite, [
      ['tool', `${report.tool.name} ${report.tool.version}`],
      ['target', report.target.url],
      ['seed', String(report.seed)],
      ['pageSha256', report.pageSha256],
      ['schemasSha256', report.schemasSha256],
      ['policies', report.policies && `${report.policies} in ${report.tool.name}: what "policy N" refers to`],
      ['verdict', report.verdict],
      ['shard', shardWords(report)],
      ...report.warnings.map((w): [string, string] => ['warning', w]),
    ]);
  }
  // wellFormed makes the serializer throw rather than emit XML a CI parser would reject.
  const parts = `${root.end({ prettyPrint: true, wellFormed: true })}\n`.split(CLOSE_SUITE);
  if (parts.length !== SUITES.length + 1) throw new Error('junit: unexpected document shape');
  for (let i = 0; i < SUITES.length; i++) {
    yield parts[i];
    for (const c of stream.cases((b) => b.suite === SUITES[i])) yield testcase(c);
    yield CLOSE_SUITE;
  }
  yield parts[SUITES.length];
}

export function renderJunit(report: RunReport): string {
  return [...junitChunks(streamOf(report))].join('');
}
