// `merge DIR... --report-dir OUT`: the reports of the shards of one run (--shard i/n) become the
// report that run would have written unsharded: the same case records, outcomes, coverage and exit
// code (timings and the embedded server's port aside). Refused, in one line, unless the shards are
// exactly 1..n of one run: same seed, tool version, page and schemas, target and case set; and
// refused before anything is deleted when the report dir is one of the shards' dirs or inside one.

import { closeSync, existsSync, openSync, realpathSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { assembleStream, type Waiver } from '../../reports/assemble.ts';
import { writeReports } from '../../reports/index.ts';
import { openJsonLines } from '../../reports/jsonl.ts';
import type { CaseRecord, ReportHead } from '../../reports/model.ts';
import { readReportFile } from '../../reports/read-report.ts';
import { documentedStatuses, schemasSha256 } from '../../schemas/index.ts';
import { ruleCatalogue } from '../../schemas/observed.ts';
import { prepareReports, TOOL } from './judge.ts';
import type { ConformanceResult } from './options.ts';
import { casesDigest, shardOf } from './plan.ts';
import { openWorkspace } from './workspace.ts';

const targetKey = (t: ReportHead['target']) =>
  JSON.stringify([t.embedded ? 'embedded' : t.url, t.fault ?? null, t.harmless ?? []]);

type Shard = { dir: string; head: ReportHead; cases: () => Iterable<CaseRecord> };

const SAME: [string, (h: ReportHead) => unknown][] = [
  ['seed', (h) => h.seed],
  ['tool version', (h) => `${h.tool.name} ${h.tool.version}`],
  ['page (pageSha256)', (h) => h.pageSha256],
  ['schemas (schemasSha256)', (h) => h.schemasSha256],
  ['case set', (h) => `${h.shard?.cases} ${h.shard?.casesSha256}`],
  // The embedded server listens on a new port each run: its URL is not part of what makes the target.
  ['target (URL, fault and harmless switches)', (h) => targetKey(h.target)],
  ['waivers', (h) => JSON.stringify(h.waivers.map((w) => [w.ruleId, w.reason, w.expires]))],
];

/** Why these report dirs are not the shards of one run, or the shards in order. */
function checkShards(dirs: string[]): Shard[] | string {
  if (dirs.length === 0) return 'merge needs the report dirs of the shards (merge DIR... --report-dir OUT)';
  const shards: Shard[] = [];
  for (const dir of dirs) {
    const file = join(resolve(dir), 'conformance.json');
    if (!existsSync(file)) return `${dir}: no conformance.json`;
    let read: ReturnType<typeof readReportFile>;
    try {
      read = readReportFile(file);
    } catch (e) {
      return `${file}: not a conformance report (${(e as Error).message})`;
    }
    if (!read.head.shard) return `${dir}: not the report of a shard (run with --shard i/n)`;
    shards.push({ dir, head: read.head, cases: read.cases });
  }
  const first = shards[0].head;
  for (const s of shards) {
    for (const [what, of] of SAME)
      if (of(s.head) !== of(first))
        return `${s.dir} and ${shards[0].dir} are shards of different runs: ${what} differs`;
    if (s.head.shard!.count !== first.shard!.count)
      return `${s.dir} is a shard of ${s.head.shard!.count}, ${shards[0].dir} of ${first.shard!.count}`;
  }
  if (first.tool.version !== TOOL.version || first.schemasSha256 !== schemasSha256)
    return `the shards were written by ${first.tool.name} ${first.tool.version} with other schemas; merge them with that version`;
  const n = first.shard!.count;
  const byIndex = new Map<number, Shard>();
  for (const s of shards) {
    const twice = byIndex.get(s.head.shard!.index);
    if (twice) return `shard ${s.head.shard!.index}/${n} given twice (${twice.dir}, ${s.dir})`;
    byIndex.set(s.head.shard!.index, s);
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length)
    return `missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${n}`).join(', ')}`;
  return [...byIndex.keys()].sort((a, b) => a - b).map((i) => byIndex.get(i)!);
}

/** A waived case read back as it was judged, so that the merge applies (and counts) the waivers again. */
function asJudged(c: CaseRecord): CaseRecord {
  if (c.outcome !== 'waived' || !c.checks.some((k) => k.outcome === 'failed')) return c;
  const { reason: _, ...rest } = c;
  return { ...rest, outcome: 'failed' };
}

/** The run-level warnings of every shard, once each, in shard order (every shard sees the same flags). */
function warningsOf(shards: Shard[]): { warnings?: string[] } {
  const all = [...new Set(shards.flatMap((s) => s.head.warnings ?? []))];
  return all.length ? { warnings: all } : {};
}

const skeleton = (c: CaseRecord): CaseRecord => ({
  id: c.id,
  suite: c.suite,
  kind: c.kind,
  ...(c.effect ? { effect: c.effect } : {}),
  description: c.description,
  rule: c.rule,
  seed: c.seed,
  outcome: 'not_run',
  reason: 'the run ended before this case',
  checks: [],
  failures: [],
});

/** A path with its symlinks resolved, also when its last parts do not exist yet. */
function real(path: string): string {
  const full = resolve(path);
  try {
    return realpathSync(full);
  } catch {
    const parent = dirname(full);
    return parent === full ? full : join(real(parent), basename(full));
  }
}

/** Writing the merged reports into a shard's dir would delete that shard's reports before they are read. */
function outInsideInput(dirs: string[], reportDir: string): string | undefined {
  const out = real(reportDir);
  for (const dir of dirs) {
    const input = real(dir);
    const rel = relative(input, out);
    if (rel === '' || (rel.split(sep)[0] !== '..' && !isAbsolute(rel)))
      return `--report-dir ${reportDir} is ${rel === '' ? '' : 'inside '}the shard report dir ${dir}: merge into a dir of its own`;
  }
  return undefined;
}

export async function mergeShards(dirs: string[], reportDir: string): Promise<ConformanceResult> {
  const clash = outInsideInput(dirs, reportDir);
  if (clash) return { exitCode: 2, files: [], message: clash };
  const checked = checkShards(dirs);
  if (typeof checked === 'string') return { exitCode: 2, files: [], message: checked };
  const unwritable = await prepareReports(reportDir);
  if (unwritable) return { exitCode: 2, files: [], message: unwritable };
  const work = openWorkspace();
  try {
    const recordsFile = work.file('records.jsonl');
    const expectedFile = work.file('expected.jsonl');
    const recordsFd = openSync(recordsFile, 'w');
    const expectedFd = openSync(expectedFile, 'w');
    const seen: { id: string; seed: number }[] = [];
    let internalError: string | undefined;
    for (const s of checked) {
      // --fail-on-skip is judged again on the merged cases, as a skip or a credential that ended a shard is.
      let explained = s.head.verdict !== 'inconclusive' || (!!s.head.failOnSkip && s.head.summary.skipped > 0);
      for (const c of s.cases()) {
        if (shardOf(c.id, s.head.shard!.count) !== s.head.shard!.index)
          return {
            exitCode: 2,
            files: [],
            message: `${s.dir}: case ${c.id} does not belong to shard ${s.head.shard!.index}`,
          };
        seen.push({ id: c.id, seed: c.seed });
        explained ||= c.outcome === 'error' || !!c.inconclusive;
        writeSync(recordsFd, `${JSON.stringify(asJudged(c))}\n`);
        writeSync(expectedFd, `${JSON.stringify(skeleton(c))}\n`);
      }
      // A shard that could not judge for a reason its records do not carry (our own crash) stays unjudged.
      if (!explained)
        internalError ??= `shard ${s.head.shard!.index}/${s.head.shard!.count}: ${s.head.inconclusiveReason}`;
    }
    closeSync(recordsFd);
    closeSync(expectedFd);
    const first = checked[0].head;
    if (seen.length !== first.shard!.cases || casesDigest(seen) !== first.shard!.casesSha256)
      return {
        exitCode: 2,
        files: [],
        message: "the shards do not hold the run's case set (a shard report was edited or cut)",
      };
    const records = openJsonLines<CaseRecord>(recordsFile);
    const expected = openJsonLines<CaseRecord>(expectedFile);
    try {
      const latest = checked
        .map((s) => s.head.timestamp)
        .sort()
        .at(-1)!;
      const stream = assembleStream({
        records: records.records,
        load: records.load,
        expected: (function* () {
          for (const [c] of expected.records) yield c;
        })(),
        waivers: first.waivers.map(
          (w): Waiver => ({ ruleId: w.ruleId, reason: w.reason, ...(w.expires ? { expires: w.expires } : {}) }),
        ),
        documentedStatuses: [...documentedStatuses],
        rules: ruleCatalogue(),
        now: new Date(latest),
        internalError,
        // Every shard sent the same preflights: the first shard's stand for the run's.
        preflight: first.preflight ?? [],
        ...(first.sideEffects?.given ? { named: first.sideEffects.given } : {}),
        failOnSkip: !!first.failOnSkip,
        meta: {
          tool: first.tool,
          node: first.node,
          pageSha256: first.pageSha256,
          schemasSha256: first.schemasSha256,
          target: first.target,
          seed: first.seed,
          durationMs: Math.max(...checked.map((s) => s.head.durationMs)),
          ...warningsOf(checked),
        },
      });
      const { files } = await writeReports(stream, resolve(reportDir), []);
      return { exitCode: stream.head.exitCode, report: stream.head, files };
    } finally {
      records.close();
      expected.close();
    }
  } finally {
    work.close();
  }
}
