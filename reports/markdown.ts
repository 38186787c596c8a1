// Markdown reporter: the human-readable summary of a run.
// Everything shown comes from the report (no clock, no timings), so the same report
// always renders to the same bytes. Untrusted text (bodies, messages, page words) is
// either backslash-escaped inline or put in a fenced block that it cannot close.

import type { CaseRecord, Citation, RunReport } from './model.ts';
import { OUTCOMES } from './model.ts';
import { byCodeUnit, sortCases } from './stream.ts';

const MAX_EXAMPLES = 5;
const MAX_BODY = 2000; // characters of a body shown per example

// Control characters are invisible or mangle terminals; show a replacement character instead.
const visible = (s: string): string => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD');
const flat = (s: string): string => visible(s).replace(/\r\n|\r|\n/g, ' ');
const longestRun = (s: string, ch: string): number =>
  (s.match(new RegExp(`${ch}+`, 'g')) ?? []).reduce((m, r) => Math.max(m, r.length), 0);

/** Backslash-escape inline Markdown punctuation (`$` too: GitHub renders $...$ as math). */
export const escapeMdChars = (s: string): string => s.replace(/[\\`*_[\]<>#|~&$]/g, '\\$&');

/** Escape Markdown-significant characters and flatten newlines: safe in prose, list items and table cells. */
export function escapeMd(text: string): string {
  return escapeMdChars(flat(text).trim())
    .replace(/^([-+])/, '\\$1') // would start a list item
    .replace(/^(\d+)([.)])/, '$1\\$2'); // would start an ordered list
}

/** Inline code span whose delimiter is longer than any backtick run inside. */
export function code(text: string): string {
  const s = flat(text);
  const ticks = '`'.repeat(longestRun(s, '`') + 1);
  const pad = s === '' || s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

/** Fenced block whose fence is longer than any backtick run in the content. */
export function fenced(text: string, info = ''): string {
  const content = visible(text);
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  return `${fence}${info}\n${content}${content.endsWith('\n') ? '' : '\n'}${fence}`;
}

function truncate(text: string, truncated = false): string {
  let s = text;
  if (s.length > MAX_BODY) {
    s = s.slice(0, MAX_BODY);
    if (/[\uD800-\uDBFF]$/.test(s)) s = s.slice(0, -1); // do not split a surrogate pair
    truncated = true;
  }
  return truncated ? `${s}\n… (truncated)` : s;
}

const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

// ---- header ----

const EXIT_WORDS: Record<RunReport['exitCode'], string> = {
  0: 'success',
  1: 'the API does not conform',
  2: 'no verdict: the run was inconclusive or the tool failed',
};

function verdict(r: RunReport): string {
  const bad = r.summary.failed + r.summary.timeout;
  const head = {
    conformant: '**Verdict: conformant.** Every case that was sent got a response the page allows.',
    not_conformant: `**Verdict: not conformant.** ${plural(bad, 'case')} failed or timed out against the documented behaviour.`,
    inconclusive: `**Verdict: inconclusive.** ${r.inconclusiveReason ? sentence(escapeMd(r.inconclusiveReason)) : 'The run could not reach a verdict.'}`,
  }[r.verdict];
  const lines = [`${head} The run exits with code ${r.exitCode} (${EXIT_WORDS[r.exitCode]}).`];
  if (r.summary.error > 0) lines.push(`${plural(r.summary.error, 'case')} ended in an error inside the tool itself (a bug in the tool, not in the API).`);
  return lines.join('\n\n');
}

function header(r: RunReport): string {
  return [
    '# Conformance report: Synchronizing VPC Channels in a Project',
    `Huawei ROMA Connect, ${code('POST /v2/{project_id}/apic/vpc-channels/syncs')}`,
    verdict(r),
    [
      `- Target: ${code(r.target.url)} (${r.target.embedded ? 'embedded mock server' : 'external server'})`,
      `- Seed: ${code(String(r.seed))}`,
      `- Tool: ${code(`${r.tool.name} ${r.tool.version}`)} on Node ${code(r.node)}`,
      `- Page SHA-256: ${code(r.pageSha256)}`,
      `- Schemas SHA-256: ${code(r.schemasSha256)}`,
    ].join('\n'),
  ].join('\n\n');
}

function summary(r: RunReport): string {
  const rows = OUTCOMES.map((o) => `| ${o} | ${r.summary[o]} |`);
  return ['## Summary', ['| Outcome | Cases |', '|---|---:|', ...rows, `| **total** | ${r.summary.total} |`].join('\n')].join('\n\n');
}

function coverage(r: RunReport): string {
  if (r.coverage.length === 0) return '## Coverage of documented status codes\n\nNo status codes recorded.';
  const cov = [...r.coverage].sort((a, b) => a.status - b.status);
  const hit = cov.filter((c) => c.hit).length;
  const rows = cov.map((c) => `| ${c.status} | ${c.hit ? 'yes' : '**no**'} | ${c.cases} |`);
  return [
    '## Coverage of documented status codes',
    `${hit} of ${cov.length} documented status codes were returned by at least one case.`,
    ['| Status | Hit | Cases |', '|---:|---|---:|', ...rows].join('\n'),
  ].join('\n\n');
}

function waivers(r: RunReport): string {
  if (r.waivers.length === 0) return '## Waivers\n\nNone.';
  const expired = r.waivers.filter((w) => w.expired).length;
  const rows = r.waivers.map((w) =>
    `| ${escapeMd(w.ruleId)} | ${escapeMd(w.reason)} | ${w.expires ? escapeMd(w.expires) : 'never'}${w.expired ? ' **EXPIRED**' : ''} | ${w.used} |`);
  return [
    '## Waivers',
    ...(expired > 0 ? [`**Expired waivers: ${expired}.** An expired waiver no longer excuses a failure.`] : []),
    ['| Rule | Reason | Expires | Used |', '|---|---|---|---:|', ...rows].join('\n'),
  ].join('\n\n');
}

// ---- failures and warnings, grouped by the rule they break ----

interface Item { c: CaseRecord; check: string; rule: Citation; messages: string[] }
interface Group { rule: Citation; items: Item[] }

/** One item per failing (or warning) check; cases without such a check yield one item on their own rule. */
function itemsOf(c: CaseRecord, checkOutcome: 'failed' | 'warning'): Item[] {
  const bad = c.checks.filter((r) => r.outcome === checkOutcome);
  if ((c.outcome === 'failed' || c.outcome === 'warning') && bad.length > 0) {
    return bad.map((r) => ({ c, check: r.check, rule: r.citations[0] ?? c.rule, messages: r.messages.length ? r.messages : [`${r.check} ${checkOutcome}`] }));
  }
  return [{ c, check: c.outcome, rule: c.rule, messages: c.failures.length ? c.failures : [c.reason ?? c.outcome] }];
}

function groupByRule(items: Item[]): Group[] {
  const groups = new Map<string, Group>();
  for (const it of items) {
    const g = groups.get(it.rule.ruleId) ?? { rule: it.rule, items: [] };
    g.items.push(it);
    groups.set(it.rule.ruleId, g);
  }
  // Rules broken by the most cases first; ties by rule id so the order is stable.
  const size = (g: Group) => new Set(g.items.map((it) => it.c.id)).size;
  return [...groups.values()].sort((a, b) => size(b) - size(a) || byCodeUnit(a.rule.ruleId, b.rule.ruleId));
}

const statusOf = (c: CaseRecord): string => (c.response ? `status ${c.response.status}` : 'no response');

function ruleHeading(rule: Citation): string {
  const lines = [`### ${code(rule.ruleId)}: ${escapeMd(rule.table)}, ${code(rule.parameter)}`, `> ${escapeMd(rule.text)}`];
  if (rule.inference) lines.push('*Inferred from the Function text or the examples; the page does not state it as a rule.*');
  return lines.join('\n\n');
}

/** (check, status) pairs with the number of distinct cases that hit each. */
function dedup(items: Item[]): string {
  const seen = new Map<string, { check: string; status: string; cases: Set<string> }>();
  for (const it of items) {
    const key = `${it.check}\u0000${statusOf(it.c)}`;
    const e = seen.get(key) ?? { check: it.check, status: statusOf(it.c), cases: new Set<string>() };
    e.cases.add(it.c.id);
    seen.set(key, e);
  }
  return [...seen.values()]
    .sort((a, b) => b.cases.size - a.cases.size || byCodeUnit(a.check, b.check) || byCodeUnit(a.status, b.status))
    .map((e) => `- ${code(e.check)}, ${e.status}: ${plural(e.cases.size, 'case')}`)
    .join('\n');
}

function example(c: CaseRecord, messages: string[]): string {
  const out = [`#### ${code(c.id)} (${c.outcome})`];
  if (c.request) {
    const req = `${c.request.method} ${c.request.url}`;
    out.push('Sent:', fenced(c.request.body === null ? req : `${req}\n\n${truncate(c.request.body, c.request.bodyTruncated)}`, 'http'));
  } else {
    out.push('Nothing was sent.');
  }
  if (c.response) {
    out.push('Received:', fenced(`HTTP ${c.response.status}\n\n${truncate(c.response.body, c.response.bodyTruncated)}`));
  } else {
    out.push('No response was received.');
  }
  out.push('Failure messages:', fenced(messages.join('\n'), 'text'));
  if (c.curl) out.push('Reproduce:', fenced(c.curl, 'sh'));
  return out.join('\n\n');
}

function failures(cases: CaseRecord[]): string {
  const failing = cases.filter((c) => c.outcome === 'failed' || c.outcome === 'timeout' || c.outcome === 'error');
  if (failing.length === 0) return '## Failures\n\nNone.';
  const groups = groupByRule(failing.flatMap((c) => itemsOf(c, 'failed')));
  const parts = [`## Failures (${failing.length})`, `${plural(failing.length, 'case')} failed, timed out or hit a tool error, grouped by the rule broken.`];
  for (const g of groups) {
    parts.push(ruleHeading(g.rule), dedup(g.items));
    const ids = [...new Set(g.items.map((it) => it.c.id))];
    for (const id of ids.slice(0, MAX_EXAMPLES)) {
      const mine = g.items.filter((it) => it.c.id === id);
      parts.push(example(mine[0].c, mine.flatMap((it) => it.messages)));
    }
    if (ids.length > MAX_EXAMPLES) parts.push(`…and ${plural(ids.length - MAX_EXAMPLES, 'more case')}; see conformance.json.`);
  }
  return parts.join('\n\n');
}

function warnings(cases: CaseRecord[]): string {
  const warned = cases.filter((c) => c.outcome === 'warning');
  if (warned.length === 0) return '## Warnings\n\nNone.';
  const parts = [`## Warnings (${warned.length})`];
  for (const g of groupByRule(warned.flatMap((c) => itemsOf(c, 'warning')))) {
    parts.push(ruleHeading(g.rule), g.items.map((it) => `- ${code(it.c.id)} (${code(it.check)}): ${escapeMd(it.messages.join(' / '))}`).join('\n'));
  }
  return parts.join('\n\n');
}

function notes(r: RunReport): string {
  return r.notes.length === 0 ? '## Notes\n\nNone.' : `## Notes\n\n${r.notes.map((n) => `- ${escapeMd(n)}`).join('\n')}`;
}

/** The whole report as GitHub-flavoured Markdown; ends with a newline. */
export function renderMarkdown(report: RunReport): string {
  const cases = sortCases(report.cases);
  return [header(report), summary(report), coverage(report), waivers(report), failures(cases), warnings(cases), notes(report)].join('\n\n') + '\n';
}
