import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { renderJunit } from '../../reports/junit.ts';
import { redactDeep } from '../../reports/redact.ts';
import { makeReport, SECRETS, UNKNOWN_FIELD } from './fixture.ts';
import { junit10Problems } from './junit-10.ts';

// The few DOM members we read from xmlbuilder2's parsed tree.
interface El {
  nodeName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<El>;
  childNodes: ArrayLike<El>;
}

const parse = (xml: string): El => create(xml).root().node as unknown as El;
const all = (el: El, tag: string): El[] => Array.from(el.getElementsByTagName(tag));
const children = (el: El, tag: string): El[] => Array.from(el.childNodes).filter((n) => n.nodeName === tag);
const attrs = (el: El, ...names: string[]) => Object.fromEntries(names.map((n) => [n, el.getAttribute(n)]));
const COUNTS = ['tests', 'failures', 'errors', 'skipped'];

describe('renderJunit', () => {
  const report = makeReport();
  const xml = renderJunit(report);
  const root = parse(xml);
  const testcases = all(root, 'testcase');
  const byName = (id: string) => testcases.find((t) => t.getAttribute('name') === id)!;
  const idsWith = (tag: string) =>
    testcases
      .filter((t) => children(t, tag).length > 0)
      .map((t) => t.getAttribute('name'))
      .sort();
  const idsOf = (...outcomes: string[]) =>
    report.cases
      .filter((c) => outcomes.includes(c.outcome))
      .map((c) => c.id)
      .sort();

  it('is well-formed XML with only XML 1.0 characters', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(root.nodeName).toBe('testsuites');
    // Re-serialising with wellFormed: true throws on anything malformed.
    expect(() => create(xml).end({ wellFormed: true })).not.toThrow();
  });

  it('keeps to junit-10.xsd (Jenkins xunit-plugin)', () => {
    expect(junit10Problems(xml)).toEqual([]);
  });

  it('the junit-10.xsd checks catch what strict readers reject', () => {
    const bad = xml
      .replace('<testsuites ', '<testsuites skipped="2" ')
      .replace(
        '<testcase name="auth.token.invalid" classname="conformance.auth" time="0.009">',
        (m) => `${m}<properties/>`,
      );
    expect(junit10Problems(bad)).toEqual([
      '/testsuites: attribute skipped is not allowed',
      '/testsuites/testsuite/testcase: <properties> is not allowed inside <testcase>',
    ]);
    expect(junit10Problems(xml.replace('<testsuite name="auth"', '<testsuite'))).toEqual([
      '/testsuites/testsuite: attribute name is required',
    ]);
    expect(junit10Problems(xml.replace(/time="1\.234"/, 'time="1.2s"'))).toEqual([
      '/testsuites: time "1.2s" is not SUREFIRE_TIME',
    ]);
  });

  it('has correct counts at the top level and per suite', () => {
    expect(attrs(root, ...COUNTS)).toEqual({ tests: '10', failures: '3', errors: '1', skipped: null });
    const suites = children(root, 'testsuite');
    expect(suites.map((s) => s.getAttribute('name'))).toEqual(['positive', 'negative', 'auth', 'robustness']);
    expect(suites.map((s) => attrs(s, ...COUNTS))).toEqual([
      { tests: '3', failures: '0', errors: '0', skipped: '0' },
      { tests: '3', failures: '2', errors: '0', skipped: '1' },
      { tests: '3', failures: '0', errors: '1', skipped: '1' },
      { tests: '1', failures: '1', errors: '0', skipped: '0' },
    ]);
    for (const s of suites) expect(children(s, 'testcase').length).toBe(Number(s.getAttribute('tests')));
  });

  it('names every case by id with classname conformance.<suite>', () => {
    expect(testcases.map((t) => t.getAttribute('name')).sort()).toEqual(report.cases.map((c) => c.id).sort());
    for (const c of report.cases) expect(byName(c.id).getAttribute('classname')).toBe(`conformance.${c.suite}`);
  });

  it('marks skipped only the cases that were not sent', () => {
    expect(idsWith('skipped')).toEqual(idsOf('skipped', 'not_run'));
    expect(children(byName('auth.token.expired'), 'skipped')[0].getAttribute('message')).toBe(
      'no expired token supplied (--expired-token)',
    );
  });

  it('reports failed and timeout as <failure> with the full text and curl line', () => {
    expect(idsWith('failure')).toEqual(idsOf('failed', 'timeout'));
    const f = children(byName('negative.table3.instance_ids.type.string'), 'failure')[0];
    expect(attrs(f, 'message', 'type')).toEqual({
      message: 'table3.instance_ids.type, table12.error_body: expected status 400, got 201',
      type: 'failed',
    });
    expect(f.textContent).toContain('table3.instance_ids.type: [status_code] expected status 400, got 201\n');
    expect(f.textContent).toContain(
      "table12.error_body: [error_body_schema] error body: must have required property 'error_code'\nat path /",
    );
    expect(f.textContent).toContain('reproduce: curl -sS -X POST');
    expect(children(byName('robustness.large_body'), 'failure')[0].getAttribute('type')).toBe('timeout');
    // The bell character in a failure message is replaced, not emitted raw.
    expect(children(byName('negative.table3.instance_ids.type.number'), 'failure')[0].textContent).toContain(
      '201 \uFFFD(bell)',
    );
  });

  it('reports our own bugs as <error>', () => {
    expect(idsWith('error')).toEqual(idsOf('error'));
    const e = children(byName('auth.token.missing'), 'error')[0];
    expect(e.getAttribute('message')).toContain('TypeError');
    expect(e.textContent).toContain('at checkStatus');
  });

  it('passes waived cases with the reason in system-out, warnings likewise', () => {
    const waived = byName('positive.force_sync.true');
    expect(children(waived, 'failure')).toHaveLength(0);
    expect(children(waived, 'system-out')[0].textContent).toContain(
      'waived: ROMA-1234: force_sync ignored | fix pending',
    );
    const warning = byName('positive.response.unknown_fields');
    expect(children(warning, 'failure')).toHaveLength(0);
    expect(children(warning, 'system-out')[0].textContent).toContain(`warning: ${UNKNOWN_FIELD}`);
  });

  it('cites the rule of every case in system-out, and no testcase has properties', () => {
    expect(children(byName('negative.table3.instance_ids.type.number'), 'system-out')[0].textContent).toBe(
      'rule: table3.instance_ids.type (Table 3, instance_ids): Array of strings. List of newly associated instances.',
    );
    for (const t of testcases) expect(children(t, 'properties')).toHaveLength(0);
  });

  it('names a rule id in every failure text, timeouts included', () => {
    const ruleLed = /^[a-z0-9_.]+(, [a-z0-9_.]+)*: /;
    for (const c of report.cases.filter((x) => x.outcome === 'failed' || x.outcome === 'timeout')) {
      const f = children(byName(c.id), 'failure')[0];
      expect(f.getAttribute('message')).toMatch(ruleLed);
      expect(f.textContent).toMatch(ruleLed);
      for (const k of c.checks.filter((x) => x.outcome === 'failed'))
        for (const m of k.messages)
          expect(f.textContent).toContain(`${k.citations[0].ruleId}: [${k.check}] ${m.replace(/\u0007/g, '\uFFFD')}`);
    }
    expect(children(byName('robustness.large_body'), 'failure')[0].getAttribute('message')).toBe(
      'robustness.no_unlisted_status: no response within 30000 ms',
    );
  });

  it('matches the snapshot', async () => {
    await expect(renderJunit(redactDeep(makeReport(), SECRETS))).toMatchFileSnapshot('./__snapshots__/junit.xml');
  });
});
