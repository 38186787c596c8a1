import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { renderJunit } from '../../reports/junit.ts';
import { redactDeep } from '../../reports/redact.ts';
import { makeReport, SECRETS, UNKNOWN_FIELD } from './fixture.ts';

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

  it('has correct counts at the top level and per suite', () => {
    expect(attrs(root, ...COUNTS)).toEqual({ tests: '10', failures: '3', errors: '1', skipped: '2' });
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
    expect(attrs(f, 'message', 'type')).toEqual({ message: 'expected status 400, got 201', type: 'failed' });
    expect(f.textContent).toContain("error body: must have required property 'error_code'\nat path /");
    expect(f.textContent).toContain('curl -sS -X POST');
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

  it('passes waived cases with a waived property, warnings with system-out', () => {
    const waived = byName('positive.force_sync.true');
    expect(children(waived, 'failure')).toHaveLength(0);
    const props = all(waived, 'property').map((p) => [p.getAttribute('name'), p.getAttribute('value')]);
    expect(props).toContainEqual(['waived', 'ROMA-1234: force_sync ignored | fix pending']);
    const warning = byName('positive.response.unknown_fields');
    expect(children(warning, 'failure')).toHaveLength(0);
    expect(children(warning, 'system-out')[0].textContent).toBe(UNKNOWN_FIELD);
  });

  it('cites the rule in properties', () => {
    const props = Object.fromEntries(
      all(byName('negative.table3.instance_ids.type.number'), 'property').map((p) => [
        p.getAttribute('name'),
        p.getAttribute('value'),
      ]),
    );
    expect(props).toEqual({ rule: 'table3.instance_ids.type', table: 'Table 3', parameter: 'instance_ids' });
  });

  it('matches the snapshot', async () => {
    await expect(renderJunit(redactDeep(makeReport(), SECRETS))).toMatchFileSnapshot('./__snapshots__/junit.xml');
  });
});
