// HTML reporter: one self-contained page (style and script inline, a Content-Security-Policy that
// lets it load nothing, pictures as inline SVG) rendered one case at a time from the stream, like
// the other reports. Every value goes through reports/html-template.ts, which escapes it.

import { createHash } from 'node:crypto';
import { checkCounts, caseIdsOf, groupByRule, itemsOf, type Group, type Item } from './failures.ts';
import { html, toText, trusted, type Html, type Part } from './html-template.ts';
import { prettyBody } from './html-json.ts';
import { answerTimes, ruleGrid, statusBars } from './html-pictures.ts';
import { PAGE_SCRIPT, PAGE_STYLE } from './html-assets.ts';
import {
  exchangesOf,
  OUTCOMES,
  RULE_STATUSES,
  type CaseRecord,
  type Citation,
  type ExchangeRecord,
  type Outcome,
  type RecordedRequest,
  type RecordedResponse,
  type ReportHead,
  type ReportStream,
  type RunReport,
} from './model.ts';
import { byTable, RULE_STATUS_MEANING, RULE_STATUS_WORDS, statusCounts } from './rule-coverage.ts';
import { emptyShardNote, shardWords } from './shard-words.ts';
import { byCodeUnit, streamOf } from './stream.ts';

export const MAX_EXAMPLES = 10; // cases shown in full per broken rule
export const MAX_DETAILED = 200; // cases shown in full in the whole page
const MAX_MESSAGES = 20;
const MAX_MESSAGE = 2000;
const MAX_HEADERS = 40;
const MAX_ROW_TEXT = 240;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const sha256 = (s: string) => createHash('sha256').update(s).digest('base64');

const VERDICT: Record<ReportHead['verdict'], string> = {
  conformant: 'Conformant',
  not_conformant: 'Not conformant',
  inconclusive: 'Inconclusive',
};

function verdictLine(r: ReportHead): string {
  const bad = r.summary.failed + r.summary.timeout;
  const untested = r.summary.skipped + r.summary.not_run;
  if (r.verdict === 'conformant' && untested)
    return `Conformant on ${r.judged} of ${r.summary.total} cases: every case that was sent got a response the page allows; ${plural(untested, 'case')} were not tested (see "Skipped and not run").`;
  if (r.verdict === 'conformant') return 'Every case that was sent got a response the page allows.';
  if (r.verdict === 'not_conformant')
    return `${plural(bad, 'case')} failed or timed out against the documented behaviour.`;
  return r.inconclusiveReason ?? 'The run could not reach a verdict.';
}

/** Run-level warnings: what other stages put in the head, and what this report sees for itself. */
function runWarnings(r: ReportHead): string[] {
  const out = [...(r.warnings ?? [])];
  const expired = r.waivers.filter((w) => w.expired);
  if (expired.length)
    out.push(`Expired waivers no longer excuse failures: ${expired.map((w) => w.ruleId).join(', ')}.`);
  if (r.summary.error)
    out.push(
      `${plural(r.summary.error, 'case')} hit a bug in the tool itself (outcome error): not a verdict on the API.`,
    );
  return out;
}

/** The verdict in bold and what it covered; a shard that sent nothing says it is no verdict on its own. */
function verdictWords(r: ReportHead): Html {
  const empty = emptyShardNote(r);
  if (empty) return html`<strong>No verdict on its own.</strong> ${empty[0].toUpperCase()}${empty.slice(1)}.`;
  return html`<strong>${VERDICT[r.verdict]}.</strong> ${verdictLine(r)}`;
}

function header(r: ReportHead): Html {
  const warnings = runWarnings(r);
  return html`<header>
<h1>Conformance report: Synchronizing VPC Channels in a Project</h1>
<p class="op">Huawei ROMA Connect, <code>POST /v2/{project_id}/apic/vpc-channels/syncs</code></p>
<p id="verdict" class="verdict v-${r.verdict}">${verdictWords(r)} Exit code ${r.exitCode}.</p>
${warnings.length ? html`<section id="run-warnings" aria-label="Run warnings"><h2>Warnings</h2><ul>${warnings.map((w) => html`<li>${w}</li>`)}</ul></section>` : ''}
<dl class="facts">
<dt>Target</dt><dd><code>${r.target.url}</code> (${r.target.embedded ? 'embedded reference server' : 'external server'})</dd>${r.shard ? html`<dt>Shard</dt><dd id="shard">${shardWords(r)} (merge the shards' report dirs for the run's verdict)</dd>` : ''}
${(r.preflight ?? []).map((p) => html`<dt>Preflight (${p.credential})</dt><dd>${p.status !== undefined ? html`answered <code>${p.status}</code>` : `no answer (${p.error ?? 'unknown'})`}${p.errorCode ? html` <code>${p.errorCode}</code>` : ''}: ${p.meaning}</dd>`)}
<dt>Seed</dt><dd><code>${r.seed}</code></dd>
<dt>Tool</dt><dd><code>${r.tool.name} ${r.tool.version}</code> on Node <code>${r.node}</code></dd>
<dt>Run</dt><dd>${r.timestamp}, ${(r.durationMs / 1000).toFixed(1)} s</dd>
<dt>Page SHA-256</dt><dd><code>${r.pageSha256}</code></dd>
<dt>Schemas SHA-256</dt><dd><code>${r.schemasSha256}</code></dd>${
    r.policies
      ? html`
<dt>Policies</dt><dd>"policy N" is the ambiguity policy in <code>${r.policies}</code> of <code>${r.tool.name}</code></dd>`
      : ''
  }
</dl>
</header>`;
}

function summary(stream: ReportStream): Html {
  const r = stream.head;
  const rules = statusCounts(r.ruleCoverage);
  const times = answerTimes(stream.briefs);
  return html`<section id="summary"><h2>Summary</h2>
<ul class="tiles">${OUTCOMES.map((o) => html`<li class="tile o-${o}"><span class="n">${r.summary[o]}</span> ${o.replace('_', ' ')}</li>`)}<li class="tile"><span class="n">${r.summary.total}</span> total</li></ul>
<div class="pictures">
<figure><figcaption>Rules of the page, by table (${
    RULE_STATUSES.filter((s) => rules[s])
      .map((s) => `${rules[s]} ${RULE_STATUS_WORDS[s]}`)
      .join(', ') || 'none'
  })</figcaption>${ruleGrid(r)}</figure>
<figure><figcaption>Status codes answered</figcaption>${statusBars(r, stream.briefs)}</figure>
<figure><figcaption>Answer times: ${times.caption}</figcaption>${times.svg}</figure>
</div></section>`;
}

function sideEffects(r: ReportHead): Part {
  if (!r.sideEffects) return '';
  const { pairs, more } = r.sideEffects;
  const rows = pairs.map(
    (p) =>
      html`<tr><td><code>${p.channel}</code></td><td><code>${p.instance}</code></td><td>${p.cases}</td><td><code>${p.firstCase}</code></td><td>${p.named ? 'yes' : html`<strong>no</strong>`}</td></tr>`,
  );
  return html`<section id="side-effects"><h2>Side effects</h2>${
    pairs.length
      ? html`<p>Each (channel, instance) pair that a 2xx answer reported as synchronized.</p><table><thead><tr><th>VPC channel</th><th>Instance</th><th>Cases</th><th>First case</th><th>Both ids given by you</th></tr></thead><tbody>${rows}</tbody></table>${more ? html`<p>…and ${plural(more, 'more pair')}; see conformance.json.</p>` : ''}`
      : html`<p>No answer reported a synchronization.</p>`
  }</section>`;
}

/** The filter bar; the script fills the table choices from what the page holds. */
function filters(stream: ReportStream): Html {
  const suites = [...new Set(stream.briefs.map((b) => b.suite))];
  return html`<form id="filters" aria-label="Filters"><fieldset><legend>Outcome</legend>${OUTCOMES.map(
    (o) => html`<label><input type="checkbox" name="outcome" value="${o}" checked> ${o.replace('_', ' ')}</label>`,
  )}</fieldset><label>Suite <select id="f-suite"><option value="">all</option>${suites.map((s) => html`<option value="${s}">${s}</option>`)}</select></label><label>Table <select id="f-table"><option value="">all</option></select></label><output id="f-count"></output></form>`;
}

/** The tables a case speaks of: its own rule's, and those of every rule it broke. */
const tablesOf = (c: CaseRecord, extra: string[] = []): string[] => [
  ...new Set([
    ...extra,
    c.rule.table,
    ...c.checks.filter((k) => k.outcome !== 'passed').flatMap((k) => k.citations.map((x) => x.table)),
  ]),
];
const attrs = (c: CaseRecord, extra: string[] = []) =>
  html`data-outcome="${c.outcome}" data-suite="${c.suite}" data-tables="${tablesOf(c, extra).join('|')}"`;
const badge = (o: Outcome) => html`<span class="badge o-${o}">${o.replace('_', ' ')}</span>`;

function citation(rule: Citation): Html {
  return html`<p class="rule"><code>${rule.ruleId}</code>: ${rule.table}, <code>${rule.parameter}</code></p><blockquote>${rule.text}</blockquote>${rule.inference ? html`<p class="note">Inferred from the Function text or the examples; the page does not state it as a rule.</p>` : ''}`;
}

/** By name, as conformance.json holds them: a merged report, read back from the JSON, shows them alike. */
function headers(h: Record<string, string>): Html {
  const entries = Object.entries(h).sort(([a], [b]) => byCodeUnit(a, b));
  return html`<table class="headers">${entries.slice(0, MAX_HEADERS).map(([k, v]) => html`<tr><th>${k}</th><td>${clip(v, 400)}</td></tr>`)}${entries.length > MAX_HEADERS ? html`<tr><td colspan="2">… ${entries.length - MAX_HEADERS} more</td></tr>` : ''}</table>`;
}

function body(text: string | null, truncated: boolean | undefined, marks: ReadonlySet<string>): Part {
  if (text === null) return html`<p class="note">No body.</p>`;
  const p = prettyBody(text, marks);
  const note =
    truncated || p.cut ? html`<p class="note">Cut to the report's limit; the full text is not kept.</p>` : '';
  return html`<pre class="body${p.json ? ' json' : ''}">${p.html}</pre>${note}`;
}

/** The JSON pointers a case's failing checks point at, per exchange (request and response side). */
function marksOf(c: CaseRecord, index: number, several: boolean) {
  const request = new Set<string>();
  const response = new Set<string>();
  for (const k of c.checks)
    if (k.outcome !== 'passed' && (!several || (k.exchange ?? c.decidingExchange ?? 0) === index)) {
      for (const p of k.offending?.request ?? []) request.add(p);
      for (const p of k.offending?.response ?? []) response.add(p);
    }
  return { request, response };
}

function exchange(c: CaseRecord, x: ExchangeRecord, i: number, n: number): Html {
  const marks = marksOf(c, i, n > 1);
  const req: RecordedRequest = x.request;
  const res: RecordedResponse | undefined = x.response;
  return html`<div class="exchange">${n > 1 ? html`<h5>Request ${i + 1} of ${n} (${x.label}): ${badge(x.outcome)}</h5>` : ''}
<div class="sides"><div><h6>Sent</h6><p><code>${req.method} ${req.url}</code></p>${headers(req.headers)}${body(req.body, req.bodyTruncated, marks.request)}</div>
<div><h6>Received</h6>${res ? html`<p><code>HTTP ${res.status}</code>${res.durationMs !== undefined ? ` in ${res.durationMs} ms` : ''}</p>${headers(res.headers)}${body(res.body, res.bodyTruncated, marks.response)}` : html`<p class="note">${x.outcome === 'not_run' ? 'Not sent: an earlier request of the case ended it.' : 'No response was received.'}</p>`}</div></div>
${x.curl ? html`<h6>Reproduce</h6><pre class="curl">${x.curl}</pre>` : ''}</div>`;
}

/** A case in full: what it broke, what was sent and what came back, and how to reproduce it. */
function caseCard(c: CaseRecord, messages: string[], table: string): Html {
  const exchanges = exchangesOf(c);
  return html`<article class="case" ${attrs(c, [table])}><h4><code>${c.id}</code> ${badge(c.outcome)}</h4>
<p class="meta">${c.suite} · ${c.kind}${c.effect ? ` · effect: ${c.effect}` : ''}${c.attempts && c.attempts > 1 ? ` · ${c.attempts} attempts` : ''} · ${c.description}</p>
${messages.length ? html`<pre class="messages">${messages.slice(0, MAX_MESSAGES).map((m) => `${clip(m, MAX_MESSAGE)}\n`)}${messages.length > MAX_MESSAGES ? `… ${messages.length - MAX_MESSAGES} more\n` : ''}</pre>` : ''}
${exchanges.length ? exchanges.map((x, i) => exchange(c, x, i, exchanges.length)) : html`<p class="note">Nothing was sent.</p>`}
${c.reproduce ? html`<p class="note">Or: <code>${c.reproduce}</code></p>` : ''}</article>`;
}

const FAILING: readonly Outcome[] = ['failed', 'timeout', 'error'];

/** Failures (or warnings) grouped by rule, a few cases of each in full: read twice from the stream. */
function* grouped(stream: ReportStream, which: 'failed' | 'warning', budget: { left: number }): Generator<Html> {
  const items: Item[] = [];
  const pick = which === 'failed' ? (o: Outcome) => FAILING.includes(o) : (o: Outcome) => o === 'warning';
  for (const c of stream.cases((b) => pick(b.outcome)))
    for (const it of itemsOf(c, which)) items.push({ ...it, messages: [] });
  const cases = new Set(items.map((it) => it.id)).size;
  const title = which === 'failed' ? 'Failures' : 'Warnings';
  yield html`<section id="${which === 'failed' ? 'failures' : 'warnings'}"><h2>${title} (${cases})</h2>`;
  if (cases === 0) {
    yield html`<p>None.</p></section>`;
    return;
  }
  yield html`<p>${which === 'failed' ? 'Cases that failed, timed out or hit a tool error' : 'Answers the page allows but that are worth a look'}, grouped by the rule broken; the most-broken rule first.</p>`;
  const groups: Group[] = groupByRule(items);
  const shown = groups.map((g) => {
    const ids = caseIdsOf(g.items).slice(0, Math.min(MAX_EXAMPLES, Math.max(0, budget.left)));
    budget.left -= ids.length;
    return ids;
  });
  const wanted = new Set(shown.flat());
  const records = new Map<string, CaseRecord>();
  for (const c of stream.cases((b) => wanted.has(b.id))) records.set(c.id, c);
  for (const [k, g] of groups.entries()) {
    const ids = caseIdsOf(g.items);
    yield html`<section class="group" data-group id="${which}-${g.rule.ruleId}"><h3><code>${g.rule.ruleId}</code> ${plural(ids.length, 'case')}</h3>${citation(g.rule)}<ul class="counts">${checkCounts(g.items).map((e) => html`<li><code>${e.check}</code>, ${e.status}: ${plural(e.cases, 'case')}</li>`)}</ul>`;
    for (const id of shown[k]) {
      const c = records.get(id)!;
      const messages = itemsOf(c, which)
        .filter((it) => it.rule.ruleId === g.rule.ruleId)
        .flatMap((it) => it.messages);
      yield caseCard(c, messages, g.rule.table);
    }
    if (ids.length > shown[k].length)
      yield html`<p class="note">…and ${plural(ids.length - shown[k].length, 'more case')}: each is a row of All cases below; in full in conformance.json.</p>`;
    yield html`</section>`;
  }
  yield html`</section>`;
}

/** Every case that was not sent, grouped by why (the reason names the flag that would send it). */
function* notSent(stream: ReportStream): Generator<Html> {
  const byReason = new Map<string, CaseRecord[]>();
  for (const c of stream.cases((b) => b.outcome === 'skipped' || b.outcome === 'not_run')) {
    const reason = `${c.reason ?? c.outcome}${c.enable ? ` (to test them: ${c.enable})` : ''}`;
    const slim = { ...c, checks: [], failures: [], request: undefined, response: undefined, exchanges: undefined };
    byReason.set(reason, [...(byReason.get(reason) ?? []), slim]);
  }
  const total = [...byReason.values()].reduce((n, l) => n + l.length, 0);
  yield html`<section id="not-sent"><h2>Skipped and not run (${total})</h2>`;
  if (total === 0) return yield html`<p>None: every case was sent.</p></section>`;
  for (const [reason, cases] of [...byReason].sort((a, b) => b[1].length - a[1].length))
    yield html`<details class="reason" open><summary>${plural(cases.length, 'case')} ${cases[0].outcome === 'skipped' ? 'skipped' : 'not run'}: ${reason}</summary><ul>${cases.map((c) => html`<li ${attrs(c)}><code>${c.id}</code> ${badge(c.outcome)} ${c.description}</li>`)}</ul></details>`;
  yield html`</section>`;
}

function coverageMatrix(r: ReportHead): Html {
  return html`<section id="rule-coverage"><h2>Rule coverage</h2><p>${RULE_STATUSES.map((s) => html`<span class="badge r-${s}">${RULE_STATUS_WORDS[s]}</span> ${RULE_STATUS_MEANING[s]}. `)}</p>${byTable(
    r.ruleCoverage,
  ).map(
    ([table, entries]) =>
      html`<details class="matrix" data-tables="${table}"${entries.some((e) => e.status === 'failed') ? ' open' : ''}><summary>${table}: ${RULE_STATUSES.map(
        (s) => [s, entries.filter((e) => e.status === s).length] as const,
      )
        .filter(([, n]) => n)
        .map(([s, n]) => `${n} ${RULE_STATUS_WORDS[s]}`)
        .join(
          ', ',
        )}</summary><table><thead><tr><th>Rule</th><th>Parameter</th><th>Status</th><th>Failed</th><th>Held</th><th>Example case</th></tr></thead><tbody>${entries.map(
        (e) =>
          html`<tr id="rule-${e.ruleId}"><td><code>${e.ruleId}</code></td><td><code>${e.parameter}</code></td><td><span class="badge r-${e.status}">${RULE_STATUS_WORDS[e.status]}</span></td><td>${e.failed}</td><td>${e.passed}</td><td>${e.example ? html`<code>${e.example}</code>` : ''}</td></tr>`,
      )}</tbody></table></details>`,
  )}</section>`;
}

/** One row per case, read one at a time: what a filter shows and hides. */
function* allCases(stream: ReportStream): Generator<Html> {
  yield html`<section id="cases"><h2>All cases (${stream.briefs.length})</h2><table class="cases"><thead><tr><th>Case</th><th>Suite</th><th>Outcome</th><th>Status</th><th>Rule</th><th>Table</th><th>ms</th><th>Why</th></tr></thead><tbody>`;
  for (const c of stream.cases()) {
    const why = c.failures[0] ?? c.reason ?? '';
    const ms = c.exchanges ? c.exchanges.reduce((t, x) => t + (x.durationMs ?? 0), 0) : c.response?.durationMs;
    yield html`<tr ${attrs(c)}><td><code>${c.id}</code></td><td>${c.suite}</td><td>${badge(c.outcome)}</td><td>${c.response?.status ?? ''}</td><td><code>${c.rule.ruleId}</code></td><td>${c.rule.table}</td><td>${ms ?? ''}</td><td>${clip(why, MAX_ROW_TEXT)}</td></tr>\n`;
  }
  yield html`</tbody></table></section>`;
}

function waiversAndNotes(r: ReportHead): Html {
  return html`<section id="waivers"><h2>Waivers</h2>${
    r.waivers.length
      ? html`<table><thead><tr><th>Rule</th><th>Reason</th><th>Expires</th><th>Used</th></tr></thead><tbody>${r.waivers.map((w) => html`<tr><td><code>${w.ruleId}</code></td><td>${w.reason}</td><td>${w.expires ?? 'never'}${w.expired ? html` <strong>expired</strong>` : ''}</td><td>${w.used}</td></tr>`)}</tbody></table>`
      : html`<p>None.</p>`
  }</section><section id="notes"><h2>Notes</h2>${r.notes.length ? html`<ul>${r.notes.map((n) => html`<li>${n}</li>`)}</ul>` : html`<p>None.</p>`}</section>`;
}

/**
 * The page as text chunks: everything but the case rows first, then one row per case, then the
 * script. Each chunk is whole elements, so the final redaction pass never sees a secret split.
 */
export function* htmlChunks(stream: ReportStream): Generator<string> {
  const r = stream.head;
  const csp = `default-src 'none'; style-src 'sha256-${sha256(PAGE_STYLE)}'; script-src 'sha256-${sha256(PAGE_SCRIPT)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  yield toText(
    html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${VERDICT[r.verdict]}: conformance report, seed ${r.seed}</title>
<style>${trusted(PAGE_STYLE)}</style></head><body>
${header(r)}${summary(stream)}${sideEffects(r)}${filters(stream)}`,
  );
  const budget = { left: MAX_DETAILED };
  for (const part of grouped(stream, 'failed', budget)) yield toText(part);
  for (const part of grouped(stream, 'warning', budget)) yield toText(part);
  for (const part of notSent(stream)) yield toText(part);
  yield toText(coverageMatrix(r));
  for (const part of allCases(stream)) yield toText(part);
  yield toText(
    html`${waiversAndNotes(r)}<footer>Written by ${r.tool.name} ${r.tool.version}. Self-contained: this page loads nothing.</footer>
<script>${trusted(PAGE_SCRIPT)}</script></body></html>
`,
  );
}

export function renderHtml(report: RunReport): string {
  return [...htmlChunks(streamOf(report))].join('');
}
