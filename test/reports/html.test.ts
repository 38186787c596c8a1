// conformance.html from the hand-written report: self-contained (nothing it could load), every value
// escaped, the run-level fields other stages add rendered, per-case caps, and a snapshot. The real
// browser test is html.browser.test.ts.

import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';
import { describe, expect, it } from 'vitest';
import { renderHtml, MAX_DETAILED } from '../../reports/html.ts';
import { PAGE_SCRIPT, PAGE_STYLE } from '../../reports/html-assets.ts';
import { prettyBody, MAX_PRETTY } from '../../reports/html-json.ts';
import { redactDeep } from '../../reports/redact.ts';
import type { CaseRecord, RunReport } from '../../reports/model.ts';
import { makeReport, NASTY_BODY, RULES, SECRETS } from './fixture.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('base64');
const between = (page: string, start: string, end: string) =>
  page.slice(page.indexOf(start), page.indexOf(end, page.indexOf(start)));

describe('renderHtml', () => {
  const page = renderHtml(makeReport());

  it('is one self-contained document: nothing to load, a CSP that allows only its own style and script', () => {
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
    expect(page).not.toMatch(/<link|<img|<iframe|@import|url\(|\ssrc=|href="(?!#)/i);
    const csp = decodeHTML(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1] ?? '');
    expect(csp).toBe(
      `default-src 'none'; style-src 'sha256-${sha(PAGE_STYLE)}'; script-src 'sha256-${sha(PAGE_SCRIPT)}'; img-src data:; base-uri 'none'; form-action 'none'`,
    );
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page).toContain(`<script>${PAGE_SCRIPT}</script>`);
    expect(page).toContain(`<style>${PAGE_STYLE}</style>`);
  });

  it('says the verdict, the counts and the run identity', () => {
    expect(page).toContain(
      '<p id="verdict" class="verdict v-not_conformant"><strong>Not conformant.</strong> 3 cases failed',
    );
    expect(page).toContain('<li class="tile o-failed"><span class="n">2</span> failed</li>');
    expect(page).toContain('<code>https://roma.example.com</code> (external server)');
  });

  it('escapes every value: a body with markup stays text', () => {
    expect(page).not.toContain('<b>#x</b>');
    expect(page).toContain('&lt;b&gt;#x&lt;/b&gt;');
    expect(page).toContain('error_code|&lt;b&gt;');
    expect(page).not.toMatch(/[\u0000-\u0008]/);
    expect(NASTY_BODY).toContain('<b>');
  });

  it('groups failures by rule with the page words, and lists every case not sent with its reason', () => {
    const failures = between(page, '<section id="failures">', '<section id="warnings">');
    expect(failures.match(/<section class="group" data-group id="failed-[^"]+"/g)).toEqual([
      '<section class="group" data-group id="failed-table3.instance_ids.type"',
      '<section class="group" data-group id="failed-robustness.no_unlisted_status"',
      '<section class="group" data-group id="failed-table12.error_body"',
      '<section class="group" data-group id="failed-table2.x_auth_token"',
    ]);
    expect(failures).toContain('<blockquote>Array of strings. List of newly associated instances.</blockquote>');
    expect(failures).toContain('<pre class="curl">curl -sS -X POST');
    const notSent = between(page, '<section id="not-sent">', '<section id="rule-coverage">');
    expect(notSent).toContain('1 case skipped: no expired token supplied (--expired-token)');
    expect(notSent).toContain('1 case not run: rate limit budget exhausted before this case');
  });

  it('draws the rule grid, the status codes and the answer times as inline SVG', () => {
    for (const id of ['rule-grid', 'status-bars', 'answer-times'])
      expect(page).toMatch(new RegExp(`<svg class="picture" id="${id}" role="img"`));
    expect(page).toContain('<a href="#rule-table3.instance_ids.type"><rect class="r-failed"');
    expect(page).toContain('<tr id="rule-table3.instance_ids.type">');
    expect(page).toMatch(/<title>201: 4 cases<\/title>/);
    expect(page).toMatch(/<title>403: 0 cases<\/title>.*never returned/);
  });

  it('renders the run-level warnings at the top, side effects and a case effect when the report carries them', () => {
    const r: RunReport = makeReport();
    r.warnings = [
      'the preflight got a 201: a request meant to sync nothing was accepted',
      '--insecure: TLS <not> verified',
    ];
    r.sideEffects = {
      given: { vpcChannelIds: ['chan-1'], instanceIds: [] },
      pairs: [{ channel: 'chan-1', instance: 'inst-1', cases: 2, firstCase: 'positive.example_request', named: false }],
      more: 0,
    };
    const c = r.cases.find((x) => x.id === 'negative.table3.instance_ids.type.string')!;
    c.effect = 'none';
    const p = renderHtml(r);
    const top = p.slice(0, p.indexOf('<section id="summary">'));
    expect(top).toContain('<li>the preflight got a 201: a request meant to sync nothing was accepted</li>');
    expect(top).toContain('<li>--insecure: TLS &lt;not&gt; verified</li>');
    expect(top).toContain('Expired waivers no longer excuse failures: status.403.');
    expect(p).toContain('<section id="side-effects"><h2>Side effects</h2>');
    expect(p).toContain('<td><code>chan-1</code></td><td><code>inst-1</code></td><td>2</td>');
    expect(p).toContain('<strong>no</strong>'); // not both ids given by the user
    expect(top).toContain(
      '<dt>Preflight (token)</dt><dd>answered <code>201</code>: accepted a request it must refuse</dd>',
    );
    expect(p).toContain('· effect: none ·');
  });

  it('marks the offending values by their JSON pointers, in the request and the response', () => {
    const r = makeReport();
    const c = r.cases.find((x) => x.id === 'negative.table3.instance_ids.type.string')!;
    c.checks[0].offending = { request: ['/instance_ids'] };
    c.checks[1].offending = { response: ['/name'] };
    const p = renderHtml(r);
    expect(p).toContain(
      '<mark data-pointer="/instance_ids"><span class="s">&quot;ddd73cde017890908ae0117d67bf7330&quot;</span></mark>',
    );
    expect(p).toContain('<mark data-pointer="/name"><span class="s">&quot;a|b&quot;</span></mark>');
  });

  it('caps what one case can add, and how many cases are shown in full', () => {
    const r = makeReport();
    const base = r.cases.find((x) => x.id === 'negative.table3.instance_ids.type.number')!;
    const many: CaseRecord[] = Array.from({ length: MAX_DETAILED + 50 }, (_, i) => ({
      ...structuredClone(base),
      id: `negative.many.${String(i).padStart(3, '0')}`,
      checks: [
        {
          check: 'status_code',
          outcome: 'failed',
          messages: Array.from({ length: 30 }, (_, k) => `m${k}`),
          citations: [{ ...RULES.instanceIds, ruleId: `rule.${i % 40}` }],
        },
      ],
      response: { ...base.response!, body: `{"x":"${'y'.repeat(MAX_PRETTY * 2)}"}`, bodyTruncated: true },
    }));
    r.cases.push(...many);
    const p = renderHtml(r);
    expect(p.match(/<article class="case"/g)!.length).toBeLessThanOrEqual(MAX_DETAILED);
    expect(p).toContain('… 10 more\n</pre>');
    expect(p).toContain('Cut to the report');
    expect(p.match(/<tr data-outcome=/g)).toHaveLength(r.cases.length);
    expect(p.length).toBeLessThan(MAX_DETAILED * 2 * (MAX_PRETTY + 8000));
  });

  it('matches the snapshot', async () => {
    await expect(renderHtml(redactDeep(makeReport(), SECRETS))).toMatchFileSnapshot('./__snapshots__/report.html');
  });
});

describe('prettyBody', () => {
  it('indents JSON, marks values and containers by pointer, and keeps a cut body readable', () => {
    const whole = prettyBody('{"a":[1,{"port":70000}],"b":{}}', new Set(['/a/1/port', '/b']));
    expect(whole).toMatchObject({ json: true, cut: false });
    expect(whole.html.text).toContain('<mark data-pointer="/a/1/port"><span class="n">70000</span></mark>');
    expect(whole.html.text).toContain('<mark data-pointer="/b">{}</mark>');
    const cut = prettyBody('{"a":[1,{"port":70000}],"b":"x', new Set(['/a/1/port']));
    expect(cut).toMatchObject({ json: true, cut: true });
    expect(cut.html.text).toContain('<mark data-pointer="/a/1/port">');
    expect(prettyBody('<html>created</html>', new Set())).toMatchObject({ json: false });
    expect(prettyBody('<html>created</html>', new Set()).html.text).toBe('&lt;html&gt;created&lt;/html&gt;');
    expect(prettyBody('{"a~b/c":1}', new Set(['/a~0b~1c'])).html.text).toContain('<mark data-pointer="/a~0b~1c">');
  });
});
