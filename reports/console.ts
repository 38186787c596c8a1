// The console lines of a run: the verdict with what it covered (and which shard it is), the warnings about the run, and
// every skipped or not-run case grouped by reason with what would enable it. Plain text; the
// caller redacts and writes them.

import type { ReportHead, SkipGroup } from './model.ts';
import { emptyShardNote, shardWords } from './shard-words.ts';

const CONSOLE_IDS = 3; // case ids shown per group; the reports list more

/** "conformant on N of M cases" when anything was left out: a verdict says what it covered. */
export function verdictWords(r: Pick<ReportHead, 'verdict' | 'judged' | 'summary'>): string {
  const partial = r.summary.skipped + r.summary.not_run > 0;
  if (r.verdict === 'conformant' && partial) return `conformant on ${r.judged} of ${r.summary.total} cases`;
  return r.verdict;
}

export function skipGroupLines(groups: readonly SkipGroup[]): string[] {
  return groups.map((g) => {
    const ids = g.cases.slice(0, CONSOLE_IDS).join(', ') + (g.count > CONSOLE_IDS ? ', …' : '');
    return `  ${g.count} ${g.outcome === 'skipped' ? 'skipped' : 'not run'}: ${g.reason}${g.enable ? ` (${g.enable})` : ''} [${ids}]`;
  });
}

export function runLines(r: ReportHead): string[] {
  const s = r.summary;
  const shard = shardWords(r);
  const empty = emptyShardNote(r);
  const lines = [
    `${empty ? 'no verdict on its own' : verdictWords(r)}: ${s.passed} passed, ${s.failed} failed, ${s.timeout} timeout, ${s.not_run} not run, ${s.skipped} skipped, ${s.waived} waived, ${s.warning} warning, ${s.error} error (${shard ? `${shard}; ` : ''}seed ${r.seed}, ${(r.durationMs / 1000).toFixed(1)} s)`,
    ...(empty ? [`note: ${empty}`] : []),
    ...r.warnings.map((w) => `warning: ${w}`),
  ];
  if (r.skipGroups.length) lines.push('not tested:', ...skipGroupLines(r.skipGroups));
  if (r.inconclusiveReason) lines.push(`could not judge: ${r.inconclusiveReason}`);
  return lines;
}
