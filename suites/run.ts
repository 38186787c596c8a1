// The launcher: one run as four stages with plain data between them. Each stage is a module of its
// own, named by its job (see suites/run/): target (what the run talks to, and the token checks),
// plan (which cases, and which of them are sent), execute (vitest batches and the breaker), judge
// (records to reports and the exit code).

import { execute } from './run/execute.ts';
import { judge, loadReportWriters, prepareReports } from './run/judge.ts';
import { type ConformanceResult, type RunConformanceOptions, withDefaults } from './run/options.ts';
import { planRun } from './run/plan.ts';
import { checkTarget, describeTarget, obtainToken, openTarget, type RunTarget } from './run/target.ts';
import { openWorkspace } from './run/workspace.ts';

export { BATCH_SIZE } from './run/execute.ts';
export { TOOL } from './run/judge.ts';
export type { ConformanceOptions, ConformanceResult, RunConformanceOptions } from './run/options.ts';
export { DEFAULT_OPTIONS } from './run/options.ts';

/** One run: reports in `reportDir`, the verdict as the exit code (0 conformant, 1 not, 2 could not judge). */
export async function runConformance(options: RunConformanceOptions = {}): Promise<ConformanceResult> {
  const started = performance.now();
  const o = withDefaults(options);
  const unwritable = await prepareReports(o.reportDir);
  if (unwritable) return { exitCode: 2, files: [], message: unwritable };
  // A --case that matches nothing is a usage error: said before anything starts.
  const unmatched = o.caseIds?.length ? planRun(o, describeTarget(o)) : undefined;
  if (unmatched && 'problem' in unmatched) return { exitCode: 2, files: [], message: unmatched.problem };
  const work = openWorkspace();
  let rt: RunTarget | undefined;
  try {
    rt = await openTarget(o);
    o.log(`seed ${o.seed}; target ${rt.label}`);
    const login = await obtainToken(rt);
    if (login) return { exitCode: 2, files: [], message: login };
    const checked = await checkTarget(rt);
    if (checked.problem) return { exitCode: 2, files: [], message: checked.problem };
    const plan = planRun(o, checked.facts);
    if ('problem' in plan) return { exitCode: 2, files: [], message: plan.problem };
    // A failed load is reported where judge awaits it.
    const exec = await execute(plan, rt, work, o, { whileSuitesLoad: () => void loadReportWriters().catch(() => {}) });
    return await judge(exec, rt, checked, o, started, plan.shard);
  } finally {
    work.close();
    await rt?.close();
  }
}
