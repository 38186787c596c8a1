// The launcher: one run as four stages with plain data between them. Each stage is a module of its
// own, named by its job (see suites/run/): target (what the run talks to, and the token checks),
// plan (which cases, and which of them are sent), execute (the suites on vitest's runner in a
// thread of their own, in batches, and the breaker), judge (records to reports and the exit code).

import { prepareReportDir } from '../reports/report-dir.ts';
import { startSuites } from './run/execute.ts';
import { type ConformanceResult, type RunConformanceOptions, withDefaults } from './run/options.ts';
import type { RunTarget } from './run/target.ts';
import { openWorkspace } from './run/workspace.ts';

export { TOOL } from '../schemas/files.ts';
export { BATCH_SIZE } from './run/execute.ts';
export type { ConformanceOptions, ConformanceResult, RunConformanceOptions } from './run/options.ts';
export { DEFAULT_OPTIONS } from './run/options.ts';

/** One run: reports in `reportDir`, the verdict as the exit code (0 conformant, 1 not, 2 could not judge). */
export async function runConformance(options: RunConformanceOptions = {}): Promise<ConformanceResult> {
  const started = performance.now();
  const o = withDefaults(options);
  // The report dir shows this run or nothing: checked and cleared before anything runs.
  const unwritable = await prepareReportDir(o.reportDir);
  if (unwritable) return { exitCode: 2, files: [], message: unwritable };
  const work = openWorkspace();
  // The suites' thread starts first and loads while this one loads the other stages, opens the target
  // and plans.
  const suites = startSuites(work, o);
  const stages = Promise.all([import('./run/plan.ts'), import('./run/target.ts'), import('./run/judge.ts')]);
  let rt: RunTarget | undefined;
  let forget = () => {};
  try {
    const [plans, target, { judge }] = await stages;
    forget = plans.forgetPlannedCases;
    // A --case that matches nothing is a usage error: said before the target is opened.
    const unmatched = o.caseIds?.length ? plans.planRun(o, target.describeTarget(o)) : undefined;
    if (unmatched && 'problem' in unmatched) return { exitCode: 2, files: [], message: unmatched.problem };
    const short = target.shortSecretsProblem(o);
    if (short) return { exitCode: 2, files: [], message: short };
    rt = await target.openTarget(o);
    o.log(`seed ${o.seed}; target ${rt.label}`);
    const login = await target.obtainToken(rt);
    if (login) return { exitCode: 2, files: [], message: login };
    const checked = await target.checkTarget(rt);
    if (checked.problem) return { exitCode: 2, files: [], message: checked.problem };
    const plan = plans.planRun(o, checked.facts);
    if ('problem' in plan) return { exitCode: 2, files: [], message: plan.problem };
    const exec = await suites.execute(plan, rt, o);
    forget();
    await suites.close(); // before the reports: the suites' memory goes first
    return await judge(exec, rt, checked, o, started, plan.shard);
  } finally {
    forget();
    await suites.close();
    work.close();
    await rt?.close();
  }
}
