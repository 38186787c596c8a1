// The report's pictures, as inline SVG (no script, no external reference): the page's tables as a
// grid of rules coloured by what the run established, the status codes answered, and answer times.
// Colours come from the page's stylesheet through classes.

import { html, type Html } from './html-template.ts';
import type { CaseBrief, ReportHead } from './model.ts';
import { RULE_STATUSES } from './model.ts';
import { byTable, RULE_STATUS_WORDS } from './rule-coverage.ts';

const CELL = 14;
const GAP = 3;
const LABEL = 128; // the narrowest label column
const LABEL_CHAR = 7; // px per character of an 11px label, generous: a table's name never runs into its squares
const PER_ROW = 40;

/** One row per page table (long tables wrap), one square per rule, linked to its row of the matrix. */
export function ruleGrid(head: ReportHead): Html {
  const rows: { table: string; entries: ReportHead['ruleCoverage'] }[] = [];
  for (const [table, entries] of byTable(head.ruleCoverage))
    for (let i = 0; i < entries.length; i += PER_ROW)
      rows.push({ table: i ? '' : table, entries: entries.slice(i, i + PER_ROW) });
  const label = Math.max(LABEL, ...rows.map((row) => row.table.length * LABEL_CHAR + 8));
  const width = label + PER_ROW * (CELL + GAP);
  const legendY = rows.length * (CELL + GAP) + 12;
  const height = legendY + 20;
  const cells = rows.map((row, r) => {
    const y = r * (CELL + GAP);
    return html`<text class="label" x="0" y="${y + CELL - 3}">${row.table}</text>${row.entries.map(
      (e, i) =>
        html`<a href="#rule-${e.ruleId}"><rect class="r-${e.status}" x="${label + i * (CELL + GAP)}" y="${y}" width="${CELL}" height="${CELL}" rx="2"><title>${e.ruleId} (${e.parameter}): ${RULE_STATUS_WORDS[e.status]}; ${e.failed} failed, ${e.passed} held</title></rect></a>`,
    )}`;
  });
  const legend = RULE_STATUSES.map(
    (s, i) =>
      html`<rect class="r-${s}" x="${label + i * 120}" y="${legendY}" width="${CELL}" height="${CELL}" rx="2"></rect><text class="label" x="${label + i * 120 + CELL + 5}" y="${legendY + CELL - 3}">${RULE_STATUS_WORDS[s]}</text>`,
  );
  return html`<svg class="picture" id="rule-grid" role="img" aria-labelledby="rule-grid-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title id="rule-grid-title">Every rule of the page, by table, coloured by what the run established</title>${cells}${legend}</svg>`;
}

/** Horizontal bars: how many cases each status answered; documented statuses never returned show as 0. */
export function statusBars(head: ReportHead, briefs: readonly CaseBrief[]): Html {
  const counts = new Map<number | 'none', number>();
  for (const c of head.coverage) counts.set(c.status, 0);
  for (const b of briefs)
    if (b.outcome !== 'skipped' && b.outcome !== 'not_run') {
      const k = b.status ?? 'none';
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  const documented = new Set(head.coverage.map((c) => c.status));
  const keys = [...counts.keys()].sort((a, b) => (a === 'none' ? 1 : b === 'none' ? -1 : a - b));
  const max = Math.max(1, ...counts.values());
  const bar = 22;
  const width = 520;
  const height = keys.length * (bar + 6) + 4;
  const rows = keys.map((k, i) => {
    const n = counts.get(k)!;
    const y = i * (bar + 6);
    const cls = k === 'none' ? 'st-none' : documented.has(k) ? (n ? 'st-doc' : 'st-missing') : 'st-undoc';
    const label = k === 'none' ? 'no answer' : `${k}${documented.has(k) ? '' : ' (undocumented)'}`;
    const w = Math.max(n ? 2 : 0, Math.round((n / max) * 300));
    return html`<text class="label" x="0" y="${y + 16}">${label}</text><rect class="${cls}" x="150" y="${y}" width="${w}" height="${bar}" rx="2"><title>${label}: ${n} cases</title></rect><text class="label" x="${156 + w}" y="${y + 16}">${n ? `${n} case${n === 1 ? '' : 's'}` : 'never returned'}</text>`;
  });
  return html`<svg class="picture" id="status-bars" role="img" aria-labelledby="status-bars-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title id="status-bars-title">Status codes answered, per case</title>${rows}</svg>`;
}

const BINS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, Number.POSITIVE_INFINITY];
const binLabel = (i: number) => (i === BINS.length - 1 ? `≥${BINS[i - 1]}` : `<${BINS[i]}`);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** A histogram of answer times (ms, bins widening), with the median, 95th percentile and maximum. */
export function answerTimes(briefs: readonly CaseBrief[]): { svg: Html; caption: string } {
  const times = briefs.map((b) => b.durationMs).filter((t): t is number => typeof t === 'number');
  const counts = BINS.map(() => 0);
  for (const t of times) counts[BINS.findIndex((b) => t < b)]++;
  const max = Math.max(1, ...counts);
  const col = 44;
  const top = 14; // room for the tallest bar's count above it
  const chart = 120;
  const base = top + chart;
  const width = BINS.length * col + 10;
  const height = base + 40;
  const bars = counts.map((n, i) => {
    const h = Math.round((n / max) * chart);
    const x = i * col + 6;
    return html`<rect class="t-bar" x="${x}" y="${base - h}" width="${col - 8}" height="${h}" rx="2"><title>${binLabel(i)} ms: ${n} cases</title></rect><text class="label small" x="${x}" y="${base + 14}">${binLabel(i)}</text><text class="label small" x="${x}" y="${base - h - 3}">${n || ''}</text>`;
  });
  const sorted = [...times].sort((a, b) => a - b);
  const caption = times.length
    ? `${times.length} answers: median ${quantile(sorted, 0.5)} ms, 95th percentile ${quantile(sorted, 0.95)} ms, slowest ${sorted[sorted.length - 1]} ms`
    : 'No answers were timed.';
  const svg = html`<svg class="picture" id="answer-times" role="img" aria-labelledby="answer-times-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title id="answer-times-title">Answer times in milliseconds</title>${bars}<text class="label small" x="6" y="${base + 32}">milliseconds</text></svg>`;
  return { svg, caption };
}
