// What a run says outside its report files: the failing rules for a CI log, the one JSON object
// of `--format json`, and the Markdown appended to a GitHub Actions step summary. All of it comes
// from the report head, so it costs nothing per case.

import type { ReportHead, RuleStatus } from './model.ts';
import { failingRules, statusCounts } from './rule-coverage.ts';
import { code, codeCell, escapeMd, ruleCounts } from './markdown.ts';
import { OUTCOMES } from './model.ts';

export const MAX_RULE_LINES = 20;

/** The failing rules, most-broken first, in at most `max` lines (the last may say how many more). */
export function failingRuleLines(head: ReportHead, max = MAX_RULE_LINES): string[] {
  const failing = failingRules(head.ruleCoverage);
  if (failing.length === 0) return [];
  const fits = failing.length <= max - 1 ? failing.length : max - 2;
  const lines = [`failing rules (${failing.length}):`];
  for (const r of failing.slice(0, fits))
    lines.push(
      `  ${r.ruleId} (${r.table}, ${r.parameter}): ${r.failed} case${r.failed === 1 ? '' : 's'}, e.g. ${r.example}`,
    );
  if (fits < failing.length) lines.push(`  … and ${failing.length - fits} more (see conformance.md)`);
  return lines;
}

export interface RunSummary {
  schemaVersion: 1;
  tool: { name: string; version: string };
  verdict: ReportHead['verdict'];
  exitCode: 0 | 1 | 2;
  reason?: string; // why the run could not judge
  seed?: number;
  target?: ReportHead['target'];
  durationMs?: number;
  summary?: ReportHead['summary'];
  failingRules: { ruleId: string; table: string; parameter: string; cases: number; example?: string }[];
  ruleCoverage?: Record<RuleStatus, number>;
  warnings: string[];
  reports: string[];
}

/** The one JSON object `--format json` prints: for a judged run, and (no head) for one that could not judge. */
export function runSummary(
  tool: RunSummary['tool'],
  outcome: { head?: ReportHead; exitCode: 0 | 1 | 2; reason?: string; files: string[] },
): RunSummary {
  const h = outcome.head;
  const reason = outcome.reason ?? h?.inconclusiveReason;
  if (!h)
    return {
      schemaVersion: 1,
      tool,
      verdict: 'inconclusive',
      exitCode: outcome.exitCode,
      ...(reason ? { reason } : {}),
      failingRules: [],
      warnings: [],
      reports: outcome.files,
    };
  return {
    schemaVersion: 1,
    tool,
    verdict: h.verdict,
    exitCode: h.exitCode,
    ...(reason ? { reason } : {}),
    seed: h.seed,
    target: h.target,
    durationMs: h.durationMs,
    summary: h.summary,
    failingRules: failingRules(h.ruleCoverage).map((r) => ({
      ruleId: r.ruleId,
      table: r.table,
      parameter: r.parameter,
      cases: r.failed,
      ...(r.example ? { example: r.example } : {}),
    })),
    ruleCoverage: statusCounts(h.ruleCoverage),
    warnings: h.warnings ?? [],
    reports: outcome.files,
  };
}

const VERDICT_WORDS: Record<ReportHead['verdict'], string> = {
  conformant: 'conformant',
  not_conformant: 'not conformant',
  inconclusive: 'could not judge',
};

/** A short Markdown summary for a CI page (GITHUB_STEP_SUMMARY): verdict, counts, failing rules. */
export function stepSummary(s: RunSummary, head?: ReportHead): string {
  const lines = [
    `### Conformance: ${VERDICT_WORDS[s.verdict]} (exit ${s.exitCode})`,
    '',
    ...(s.reason ? [`Could not judge: ${escapeMd(s.reason)}`, ''] : []),
    ...s.warnings.map((w) => `> **Warning:** ${escapeMd(w)}`),
    ...(s.warnings.length ? [''] : []),
  ];
  if (s.summary) {
    const shown = OUTCOMES.filter((o) => s.summary![o] > 0);
    lines.push(
      `| ${shown.join(' | ')} | total |`,
      `|${shown.map(() => '---:|').join('')}---:|`,
      `| ${shown.map((o) => s.summary![o]).join(' | ')} | ${s.summary.total} |`,
      '',
    );
  }
  if (head) lines.push(ruleCounts(head), '');
  if (s.failingRules.length) {
    lines.push('| Failing rule | Table | Parameter | Cases | Example |', '|---|---|---|---:|---|');
    for (const r of s.failingRules.slice(0, MAX_RULE_LINES))
      lines.push(
        `| ${codeCell(r.ruleId)} | ${escapeMd(r.table)} | ${codeCell(r.parameter)} | ${r.cases} | ${r.example ? codeCell(r.example) : ''} |`,
      );
    if (s.failingRules.length > MAX_RULE_LINES)
      lines.push('', `…and ${s.failingRules.length - MAX_RULE_LINES} more failing rules: see conformance.md.`);
    lines.push('');
  }
  if (s.seed !== undefined)
    lines.push(`Seed ${code(String(s.seed))}; reports: ${s.reports.map((f) => code(f)).join(', ')}`, '');
  return `${lines.join('\n')}\n`;
}
