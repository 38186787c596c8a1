// A case of several requests in every report: conformance.json keeps every exchange (in order, with its
// request, response, reproduce line and duration), junit.xml and conformance.md show each of them and
// every reproduce line, and timings of exchanges are stripped for comparisons like any other.

import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { renderJson, stripTimings } from '../../reports/json.ts';
import { renderJunit } from '../../reports/junit.ts';
import { renderMarkdown } from '../../reports/markdown.ts';
import { renderHtml } from '../../reports/html.ts';
import { briefOf } from '../../reports/stream.ts';
import type { CaseRecord, RunReport } from '../../reports/model.ts';
import { makeReport, RULES } from './fixture.ts';

const URL = 'https://roma.example.com/v2/0123456789abcdef/apic/vpc-channels/syncs';
const BODY = '{"vpc_channel_id":"04be10fd","instance_ids":["ddd73cde"],"force_sync":true}';
const request = { method: 'POST', url: URL, headers: { 'X-Auth-Token': '[REDACTED]' }, body: BODY };
const curlOf = (n: number) => `curl -sS -X POST '${URL}' -H "X-Auth-Token: $TOKEN" --data-raw '${BODY}' # ${n}`;
const answer = (status: number, body: string, durationMs: number) => ({
  status,
  headers: { 'content-type': 'application/json' },
  body,
  bodyTruncated: false,
  durationMs,
});
const refused = answer(400, '{"error_code":"APIG.2012","error_msg":"already submitted"}', 6);
const MESSAGE = 'request 2 of 2 (again): a valid request with force_sync true was refused with 400';

const twice: CaseRecord = {
  id: 'positive.forced-twice',
  suite: 'positive',
  kind: 'valid',
  description: 'The same forced request twice in a row',
  rule: RULES.forceSync,
  seed: 7,
  outcome: 'failed',
  checks: [
    { check: 'positive_data_acceptance', outcome: 'passed', messages: [], citations: [RULES.forceSync], exchange: 0 },
    {
      check: 'positive_data_acceptance',
      outcome: 'failed',
      messages: [MESSAGE],
      citations: [RULES.forceSync],
      exchange: 1,
    },
  ],
  request,
  response: refused,
  failures: [`[positive_data_acceptance] ${MESSAGE}`],
  curl: curlOf(2),
  attempts: 1,
  exchanges: [
    {
      label: 'first',
      outcome: 'passed',
      request,
      response: answer(201, '{"project_vpc_channels":[]}', 7),
      curl: curlOf(1),
      durationMs: 7,
    },
    { label: 'again', outcome: 'failed', request, response: refused, curl: curlOf(2), durationMs: 6 },
  ],
  decidingExchange: 1,
};

function withTwice(): RunReport {
  const r = makeReport();
  r.cases.push(structuredClone(twice));
  r.summary = { ...r.summary, failed: r.summary.failed + 1, total: r.summary.total + 1 };
  return r;
}

describe('a case of several requests', () => {
  it('conformance.json keeps every exchange in order, after the deciding one, in a fixed key order', () => {
    const parsed = JSON.parse(renderJson(withTwice())) as RunReport;
    const c = parsed.cases.find((x) => x.id === twice.id)!;
    expect(c).toEqual(twice);
    const keys = Object.keys(c);
    expect(keys.slice(keys.indexOf('curl'))).toEqual(['curl', 'decidingExchange', 'exchanges']);
    expect(Object.keys(c.exchanges![0])).toEqual(['label', 'outcome', 'durationMs', 'request', 'response', 'curl']);
    expect(Object.keys(c.checks[1])).toEqual(['check', 'outcome', 'exchange', 'messages', 'citations']);
  });

  it('stripTimings drops the durations of every exchange too', () => {
    const c = stripTimings(withTwice()).cases.find((x) => x.id === twice.id)!;
    expect(JSON.stringify(c)).not.toMatch(/durationMs/);
    expect(withTwice().cases.at(-1)!.exchanges![0].durationMs).toBe(7); // the input is untouched
  });

  it('a case takes the time of all its exchanges', () => {
    expect(briefOf(twice)).toMatchObject({ status: 400, durationMs: 13 });
  });

  it('junit.xml: the failure names the request and carries every reproduce line, in order', () => {
    const root = create(renderJunit(withTwice())).root().node as unknown as {
      getElementsByTagName(n: string): ArrayLike<{
        getAttribute(n: string): string | null;
        getElementsByTagName(n: string): ArrayLike<{ textContent: string | null; getAttribute(n: string): string }>;
      }>;
    };
    const tc = Array.from(root.getElementsByTagName('testcase')).find((t) => t.getAttribute('name') === twice.id)!;
    expect(tc.getAttribute('time')).toBe('0.013');
    const failure = tc.getElementsByTagName('failure')[0];
    expect(failure.getAttribute('message')).toContain('request 2 of 2 (again)');
    const text = failure.textContent!;
    expect(text.indexOf(curlOf(1))).toBeGreaterThan(-1);
    expect(text.indexOf(curlOf(2))).toBeGreaterThan(text.indexOf(curlOf(1)));
  });

  it('conformance.md shows each request with what came back, and the reproduce lines to run in order', () => {
    const md = renderMarkdown(withTwice());
    const example = md.slice(md.indexOf(`#### \`${twice.id}\``));
    const first = example.indexOf('Request 1 of 2 (first): passed.');
    const second = example.indexOf('Request 2 of 2 (again): failed.');
    expect(first).toBeGreaterThan(-1);
    expect(second).toBeGreaterThan(first);
    expect(example.slice(first, second)).toContain('HTTP 201');
    expect(example.slice(second)).toContain('HTTP 400');
    expect(example).toContain(`Reproduce (run the lines in order):\n\n\`\`\`sh\n${curlOf(1)}\n${curlOf(2)}\n\`\`\``);
    expect(example).toContain(MESSAGE);
  });
  it('conformance.html shows every exchange in order, each with its request, answer and reproduce line', () => {
    const page = renderHtml(withTwice());
    const card = page.slice(page.indexOf('<article class="case" data-outcome="failed" data-suite="positive"'));
    const one = card.indexOf('Request 1 of 2 (first)');
    const two = card.indexOf('Request 2 of 2 (again)');
    expect(one).toBeGreaterThan(0);
    expect(two).toBeGreaterThan(one);
    expect(card.indexOf('# 1</pre>')).toBeGreaterThan(one);
    expect(card.indexOf('# 2</pre>')).toBeGreaterThan(two);
    expect(card).toContain('HTTP 201');
    expect(card).toContain('HTTP 400');
  });
});
