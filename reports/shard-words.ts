// What a shard's report says about itself, in the same words on the console and in every report:
// which slice it is, and, when it sent nothing, that it is no verdict on its own.

import type { Outcome, ReportHead, ShardInfo } from './model.ts';
import { OUTCOMES } from './model.ts';

/** "shard 2/4, 12 of 48 cases" on a shard's report; undefined on a whole run's. */
export function shardWords(r: Pick<ReportHead, 'shard' | 'summary'>): string | undefined {
  return r.shard && `shard ${r.shard.index}/${r.shard.count}, ${r.summary.total} of ${r.shard.cases} cases`;
}

/** A shard that sent nothing is no verdict on its own: "nothing was tested" is judged on the merged report. */
export function emptyShardNote(r: { shard?: ShardInfo; summary: Record<Outcome, number> }): string | undefined {
  if (!r.shard) return undefined;
  const sent = OUTCOMES.filter((o: Outcome) => o !== 'skipped' && o !== 'not_run').reduce(
    (n, o) => n + r.summary[o],
    0,
  );
  if (sent > 0) return undefined;
  return `shard ${r.shard.index}/${r.shard.count} sent no case (its slice is empty or wholly skipped); whether anything was tested is judged on the merged report`;
}
