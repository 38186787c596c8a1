// Markdown reporter: the human-readable summary of a run.
// Everything shown comes from the report (no clock, no timings), so the same report
// always renders to the same bytes. Untrusted text (bodies, messages, page words) is
// either backslash-escaped inline or put in a fenced block that it cannot close.

import {
  exchangesOf,
  OUTCOMES,
  type CaseRecord,
  type Citation,
  type ExchangeRecord,
  type Outcome,
  type PreflightRecord,
  type ReportHead,
  type ReportStream,
  type RunReport,
} from './model.ts';
import { escapeMdChars } from './escape.ts';
import { emptyShardNote, shardWords } from './shard-words.ts';
import { streamOf } from './stream.ts';
import { checkCounts, groupByRule, itemsOf, type Item } from './failures.ts';
import { byTable, RULE_STATUS_MEANING, RULE_STATUS_WORDS, statusCounts } from './rule-coverage.ts';
import { RULE_STATUSES } from './model.ts';
import { POLICY_DOC } from '../schemas/policy.ts';

const MAX_EXAMPLES = 5;
const MAX_BODY = 2000; // characters of a body shown per example
const MAX_PAIRS = 100; // side-effect pairs shown (conformance.json lists more)

// Control characters are invisible or mangle terminals; show a replacement character instead.
const visible = (s: string): string => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD');
const flat = (s: string): string => visible(s).replace(/\r\n|\r|\n/g, ' ');
const longestRun = (s: string, ch: string): number =>
  (s.match(new RegExp(`${ch}+`, 'g')) ?? []).reduce((m, r) => Math.max(m, r.length), 0);

/** Backslash-escape inline Markdown punctuation (`$` too: GitHub renders $...$ as math). */
export { escapeMdChars };

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

/** A code span inside a table cell: GFM splits cells at every unescaped pipe, code spans included. */
export const codeCell = (text: string): string => code(text).replace(/\|/g, '\\|');

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

function verdict(r: ReportHead): string {
  const bad = r.summary.failed + r.summary.timeout;
  const untested = r.summary.skipped + r.summary.not_run;
  const head = {
    conformant: untested
      ? `**Verdict: conformant on ${r.judged} of ${r.summary.total} cases.** Every case that was sent got a response the page allows; ${plural(untested, 'case')} were not tested (see "Not tested").`
      : '**Verdict: conformant.** Every case that was sent got a response the page allows.',
    not_conformant: `**Verdict: not conformant.** ${plural(bad, 'case')} failed or timed out against the documented behaviour.`,
    inconclusive: `**Verdict: inconclusive.** ${r.inconclusiveReason ? sentence(escapeMd(r.inconclusiveReason)) : 'The run could not reach a verdict.'}`,
  }[r.verdict];
  const empty = emptyShardNote(r);
  const lines = [
    `${empty ? `**Verdict: none on its own.** ${sentence(escapeMd(empty[0].toUpperCase() + empty.slice(1)))}` : head} The run exits with code ${r.exitCode} (${EXIT_WORDS[r.exitCode]}).`,
  ];
  if (r.summary.error > 0)
    lines.push(
      `${plural(r.summary.error, 'case')} ended in an error inside the tool itself (a bug in the tool, not in the API).`,
    );
  return lines.join('\n\n');
}

function runWarnings(r: ReportHead): string[] {
  return r.warnings.map((w) => `> **Warning:** ${sentence(escapeMd(w))}`);
}

const PREFLIGHT_WORDS = {
  token: 'the credential',
  'forbidden-token': 'the credential without permission',
  'made-up-token': 'a made-up credential',
};

function preflightLine(p: PreflightRecord): string {
  const answer = p.status !== undefined ? `answered ${p.status}` : `no answer (${escapeMd(p.error ?? 'unknown')})`;
  return `${PREFLIGHT_WORDS[p.credential]} ${answer}${p.errorCode ? ` (${code(p.errorCode)})` : ''}: ${escapeMd(p.meaning)}`;
}

function header(r: ReportHead): string {
  return [
    '# Conformance report: Synchronizing VPC Channels in a Project',
    `Huawei ROMA Connect, ${code('POST /v2/{project_id}/apic/vpc-channels/syncs')}`,
    verdict(r),
    ...runWarnings(r),
    [
      `- Target: ${code(r.target.url)} (${r.target.embedded ? 'embedded reference server' : 'external server'})`,
      ...(r.shard ? [`- Shard: ${shardWords(r)} (merge the shards' report dirs for the run's verdict)`] : []),
      ...(r.preflight.length
        ? [
            `- Preflight (a body naming only ids that do not exist, so nothing can be synchronized): ${r.preflight.map(preflightLine).join('; ')}`,
          ]
        : []),
      `- Policies: "policy N" in this report is the ambiguity policy in ${code(r.policies ?? POLICY_DOC)} of ${code(r.tool.name)}`,
      `- Seed: ${code(String(r.seed))}`,
      `- Tool: ${code(`${r.tool.name} ${r.tool.version}`)} on Node ${code(r.node)}`,
      `- Page SHA-256: ${code(r.pageSha256)}`,
      `- Schemas SHA-256: ${code(r.schemasSha256)}`,
    ].join('\n'),
  ].join('\n\n');
}

const EFFECT_WORDS = {
  sync: 'a conformant server carries it out',
  maybe: 'the page allows 201 or a refusal',
  none: 'a conformant server must refuse it',
} as const;

function summary(r: ReportHead): string {
  const rows = OUTCOMES.map((o) => `| ${o} | ${r.summary[o]} |`);
  const effects = (Object.keys(EFFECT_WORDS) as (keyof typeof EFFECT_WORDS)[]).map(
    (e) => `| ${e} | ${EFFECT_WORDS[e]} | ${r.effects[e].cases} | ${r.effects[e].judged} |`,
  );
  return [
    '## Summary',
    ['| Outcome | Cases |', '|---|---:|', ...rows, `| **total** | ${r.summary.total} |`].join('\n'),
    'Effects: what a conformant server does with each case.',
    ['| Effect | Meaning | Cases | Sent and judged |', '|---|---|---:|---:|', ...effects].join('\n'),
  ].join('\n\n');
}

function sideEffects(r: ReportHead): string {
  const { pairs, more } = r.sideEffects;
  if (pairs.length === 0)
    return '## Side effects\n\nNo answer reported a synchronization: no 2xx answer listed an entry.';
  const total = pairs.length + more;
  const rows = pairs
    .slice(0, MAX_PAIRS)
    .map(
      (p) =>
        `| ${codeCell(p.channel)} | ${codeCell(p.instance)} | ${p.cases} | ${codeCell(p.firstCase)} | ${p.named ? 'yes' : '**no**'} |`,
    );
  const rest = total - Math.min(pairs.length, MAX_PAIRS);
  return [
    '## Side effects',
    `2xx answers reported ${plural(total, '(channel, instance) pair')} as synchronized.`,
    ['| Channel | Instance | Cases | First case | Both ids given by you |', '|---|---|---:|---|---|', ...rows].join(
      '\n',
    ),
    ...(rest > 0 ? [`…and ${plural(rest, 'more pair')}; see conformance.json.`] : []),
  ].join('\n\n');
}

function notTested(r: ReportHead): string {
  const n = r.summary.skipped + r.summary.not_run;
  if (r.skipGroups.length === 0) return '## Not tested\n\nNone: every case was sent.';
  const items = r.skipGroups.map((g) => {
    const ids = g.cases.map((id) => code(id)).join(', ');
    const more =
      g.count > g.cases.length ? `, …and ${plural(g.count - g.cases.length, 'more case')} (see conformance.json)` : '';
    const enable = g.enable ? ` To test them: ${sentence(escapeMd(g.enable))}` : '';
    return `- **${g.count} ${g.outcome === 'skipped' ? 'skipped' : 'not run'}**: ${sentence(escapeMd(g.reason))}${enable}\n  ${ids}${more}`;
  });
  return [
    `## Not tested (${n})`,
    `${plural(n, 'case')} were skipped or not run, grouped by reason.`,
    items.join('\n'),
  ].join('\n\n');
}

function coverage(r: ReportHead): string {
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

/** How many rules of each status, in one sentence. */
export function ruleCounts(r: ReportHead): string {
  const n = statusCounts(r.ruleCoverage);
  const parts = RULE_STATUSES.filter((s) => n[s] > 0).map((s) => `${n[s]} ${RULE_STATUS_WORDS[s]}`);
  return `Of ${plural(r.ruleCoverage.length, 'rule')} in the registry: ${parts.join(', ') || 'none'}.`;
}

function ruleCoverage(r: ReportHead): string {
  if (r.ruleCoverage.length === 0) return '## Rule coverage\n\nNo rules recorded.';
  const legend = RULE_STATUSES.map((s) => `**${RULE_STATUS_WORDS[s]}**: ${RULE_STATUS_MEANING[s]}`).join('; ');
  const parts = ['## Rule coverage', ruleCounts(r), `${legend}.`];
  for (const [table, entries] of byTable(r.ruleCoverage)) {
    const rows = entries.map((e) => {
      const status = e.status === 'failed' ? `**${RULE_STATUS_WORDS[e.status]}**` : RULE_STATUS_WORDS[e.status];
      const example = e.example ? codeCell(e.example) : '';
      return `| ${codeCell(e.ruleId)} | ${codeCell(e.parameter)} | ${status} | ${e.failed} | ${e.passed} | ${example} |`;
    });
    parts.push(
      `### ${escapeMd(table)}`,
      ['| Rule | Parameter | Status | Failed | Passed | Example case |', '|---|---|---|---:|---:|---|', ...rows].join(
        '\n',
      ),
    );
  }
  return parts.join('\n\n');
}

function waivers(r: ReportHead): string {
  if (r.waivers.length === 0) return '## Waivers\n\nNone.';
  const expired = r.waivers.filter((w) => w.expired).length;
  const rows = r.waivers.map(
    (w) =>
      `| ${escapeMd(w.ruleId)} | ${escapeMd(w.reason)} | ${w.expires ? escapeMd(w.expires) : 'never'}${w.expired ? ' **EXPIRED**' : ''} | ${w.used} |`,
  );
  return [
    '## Waivers',
    ...(expired > 0 ? [`**Expired waivers: ${expired}.** An expired waiver no longer excuses a failure.`] : []),
    ['| Rule | Reason | Expires | Used |', '|---|---|---|---:|', ...rows].join('\n'),
  ].join('\n\n');
}

// ---- failures and warnings, grouped by the rule they break (reports/failures.ts) ----
// Read from the stream twice: once for what every failing case broke (ids, checks, statuses; no
// bodies), then again for the few cases shown as examples. No more than those is held at once.

function ruleHeading(rule: Citation): string {
  const lines = [
    `### ${code(rule.ruleId)}: ${escapeMd(rule.table)}, ${code(rule.parameter)}`,
    `> ${escapeMd(rule.text)}`,
  ];
  if (rule.inference)
    lines.push('*Inferred from the Function text or the examples; the page does not state it as a rule.*');
  return lines.join('\n\n');
}

/** (check, status) pairs with the number of distinct cases that hit each. */
function dedup(items: Item[]): string {
  return checkCounts(items)
    .map((e) => `- ${code(e.check)}, ${e.status}: ${plural(e.cases, 'case')}`)
    .join('\n');
}

function sentAndReceived(x: ExchangeRecord | undefined): string[] {
  if (!x) return ['Nothing was sent.'];
  const req = `${x.request.method} ${x.request.url}`;
  const sent = fenced(
    x.request.body === null ? req : `${req}\n\n${truncate(x.request.body, x.request.bodyTruncated)}`,
    'http',
  );
  if (!x.response)
    return [
      'Sent:',
      sent,
      x.outcome === 'not_run' ? 'Not sent: an earlier request of the case ended it.' : 'No response was received.',
    ];
  return [
    'Sent:',
    sent,
    'Received:',
    fenced(`HTTP ${x.response.status}\n\n${truncate(x.response.body, x.response.bodyTruncated)}`),
  ];
}

function example(c: CaseRecord, messages: string[]): string {
  const out = [`#### ${code(c.id)} (${c.outcome}${c.effect ? `; effect ${c.effect}` : ''})`];
  const exchanges = exchangesOf(c);
  if (exchanges.length > 1) {
    // Every request of the case, in order: a later answer may be judged against an earlier one.
    exchanges.forEach((x, i) => {
      out.push(`Request ${i + 1} of ${exchanges.length} (${escapeMd(x.label)}): ${x.outcome}.`, ...sentAndReceived(x));
    });
  } else out.push(...sentAndReceived(exchanges[0]));
  out.push('Failure messages:', fenced(messages.join('\n'), 'text'));
  const curls = exchanges.map((x) => x.curl).filter(Boolean);
  if (curls.length > 1) out.push('Reproduce (run the lines in order):', fenced(curls.join('\n'), 'sh'));
  else if (curls.length === 1) out.push('Reproduce:', fenced(curls[0], 'sh'));
  return out.join('\n\n');
}

const FAILING: readonly Outcome[] = ['failed', 'timeout', 'error'];

function failures(stream: ReportStream): string {
  const items: Item[] = [];
  let failing = 0;
  for (const c of stream.cases((b) => FAILING.includes(b.outcome))) {
    failing++;
    // What a case broke, without its messages: the examples re-read theirs with the case.
    for (const it of itemsOf(c, 'failed')) items.push({ ...it, messages: [] });
  }
  if (failing === 0) return '## Failures\n\nNone.';
  const groups = groupByRule(items);
  const shown = groups.map((g) => [...new Set(g.items.map((it) => it.id))].slice(0, MAX_EXAMPLES));
  const wanted = new Set(shown.flat());
  const records = new Map<string, CaseRecord>();
  for (const c of stream.cases((b) => wanted.has(b.id))) records.set(c.id, c);
  const parts = [
    `## Failures (${failing})`,
    `${plural(failing, 'case')} failed, timed out or hit a tool error, grouped by the rule broken.`,
  ];
  groups.forEach((g, k) => {
    parts.push(ruleHeading(g.rule), dedup(g.items));
    for (const id of shown[k]) {
      const c = records.get(id)!;
      parts.push(
        example(
          c,
          itemsOf(c, 'failed')
            .filter((it) => it.rule.ruleId === g.rule.ruleId)
            .flatMap((it) => it.messages),
        ),
      );
    }
    const ids = new Set(g.items.map((it) => it.id)).size;
    if (ids > MAX_EXAMPLES) parts.push(`…and ${plural(ids - MAX_EXAMPLES, 'more case')}; see conformance.json.`);
  });
  return parts.join('\n\n');
}

function warnings(stream: ReportStream): string {
  const items: Item[] = [];
  let warned = 0;
  for (const c of stream.cases((b) => b.outcome === 'warning')) {
    warned++;
    items.push(...itemsOf(c, 'warning'));
  }
  if (warned === 0) return '## Warnings\n\nNone.';
  const parts = [`## Warnings (${warned})`];
  for (const g of groupByRule(items)) {
    parts.push(
      ruleHeading(g.rule),
      g.items.map((it) => `- ${code(it.id)} (${code(it.check)}): ${escapeMd(it.messages.join(' / '))}`).join('\n'),
    );
  }
  return parts.join('\n\n');
}

function notes(r: ReportHead): string {
  return r.notes.length === 0
    ? '## Notes\n\nNone.'
    : `## Notes\n\n${r.notes.map((n) => `- ${escapeMd(n)}`).join('\n')}`;
}

/** The report as GitHub-flavoured Markdown, reading from the stream only the cases it shows; ends with a newline. */
export function markdownOf(stream: ReportStream): string {
  const r = stream.head;
  const sections = [header(r), summary(r), sideEffects(r), notTested(r), coverage(r), waivers(r)];
  return `${[...sections, failures(stream), warnings(stream), ruleCoverage(r), notes(r)].join('\n\n')}\n`;
}

/** The whole report as GitHub-flavoured Markdown; ends with a newline. */
export function renderMarkdown(report: RunReport): string {
  return markdownOf(streamOf(report));
}
