// Stage "judge and report": the records of a run become one report (waivers applied, outcomes
// counted, the verdict and its exit code), written to the report dir one case at a time.
// Flags that take effect here: --report-dir, --waive, --waivers, --fail-on-skip.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Case } from '../../generators/cases.ts';
import { assembleStream } from '../../reports/assemble.ts';
import { prepareReportDir } from '../../reports/report-dir.ts';
import { openJsonLines } from '../../reports/jsonl.ts';
import type { CaseRecord, ReportHead, ShardInfo } from '../../reports/model.ts';
import { SEED_PAGE, TOOL } from '../../schemas/files.ts';
import { documentedStatuses, schemasSha256 } from '../../schemas/index.ts';
import { ruleCatalogue } from '../../schemas/observed.ts';
import { caseHead } from '../engine/case-head.ts';
import type { Execution } from './execute.ts';
import type { ConformanceOptions, ConformanceResult } from './options.ts';
import type { RunTarget, TargetCheck } from './target.ts';

export { TOOL };

/**
 * Checked before anything runs; and the report dir shows this run or nothing: an interrupted or
 * unjudgeable run leaves no older report behind. Returns why reports cannot be written, or undefined.
 */
export const prepareReports = (dir: string): Promise<string | undefined> => prepareReportDir(dir);

// The report writers (JUnit's XML builder among them) load when a run has something to report: a run
// that ends before its cases (a usage error, the target) never loads them.
const loadReportWriters = () => import('../../reports/index.ts');

/** A skeleton record per case: what a case that never ran reports. */
function skeleton(c: Case): CaseRecord {
  return {
    ...caseHead(c),
    outcome: 'not_run',
    reason: 'the run ended before this case',
    checks: [],
    failures: [],
  };
}

/** The target as the head records it: the embedded server's switches too, so merge can tell targets apart. */
function targetOf(rt: RunTarget, o: Pick<ConformanceOptions, 'fault' | 'harmless'>): ReportHead['target'] {
  const embedded = rt.facts.embedded;
  return {
    url: rt.target.baseUrl,
    embedded,
    ...(embedded && o.fault ? { fault: o.fault } : {}),
    ...(embedded && o.harmless?.length ? { harmless: [...o.harmless].sort() } : {}),
  };
}

export async function judge(
  exec: Execution,
  rt: RunTarget,
  checked: TargetCheck,
  o: Pick<ConformanceOptions, 'seed' | 'waivers' | 'reportDir' | 'failOnSkip' | 'fault' | 'harmless'>,
  started: number,
  shard?: ShardInfo,
): Promise<ConformanceResult> {
  const records = openJsonLines<CaseRecord>(exec.recordsFile);
  const cases = openJsonLines<Case>(exec.casesFile);
  try {
    const stream = assembleStream({
      records: records.records,
      load: records.load,
      expected: (function* () {
        for (const [c] of cases.records) yield skeleton(c);
      })(),
      waivers: o.waivers,
      documentedStatuses: [...documentedStatuses],
      rules: ruleCatalogue(),
      now: new Date(),
      internalError: exec.internalError,
      preflight: checked.preflight,
      warnings: checked.warnings,
      named: { vpcChannelIds: checked.facts.vpcChannelIds, instanceIds: checked.facts.instanceIds },
      failOnSkip: o.failOnSkip,
      meta: {
        tool: { name: TOOL.name, version: TOOL.version },
        node: process.version,
        pageSha256: createHash('sha256').update(readFileSync(SEED_PAGE)).digest('hex'),
        schemasSha256,
        target: targetOf(rt, o),
        seed: o.seed,
        durationMs: Math.round(performance.now() - started),
        ...(rt.warnings.length ? { warnings: rt.warnings } : {}),
        ...(shard ? { shard } : {}),
      },
    });
    const { writeReports } = await loadReportWriters();
    const { files } = await writeReports(stream, resolve(o.reportDir), rt.secrets);
    return { exitCode: stream.head.exitCode, report: stream.head, files };
  } finally {
    records.close();
    cases.close();
  }
}
