// The launcher: one run as four stages with plain data between them. Each stage is a module of its
// own, named by its job (see suites/run/): target (what the run talks to, and the token check),
// plan (which cases), execute (vitest batches and the breaker), judge (records to reports and the
// exit code).

import { execute } from './run/execute.ts';
import { judge, prepareReports } from './run/judge.ts';
import type { ConformanceOptions, ConformanceResult } from './run/options.ts';
import { planRun } from './run/plan.ts';
import { obtainToken, openTarget, preflight, type RunTarget } from './run/target.ts';
import { openWorkspace } from './run/workspace.ts';

export { BATCH_SIZE } from './run/execute.ts';
export { TOOL } from './run/judge.ts';
export type { ConformanceOptions, ConformanceResult } from './run/options.ts';

export async function runConformance(o: ConformanceOptions): Promise<ConformanceResult> {
  const started = performance.now();
  const unwritable = await prepareReports(o.reportDir);
  if (unwritable) return { exitCode: 2, files: [], message: unwritable };
  const work = openWorkspace();
  let rt: RunTarget | undefined;
  try {
    rt = await openTarget(o);
    o.log(`seed ${o.seed}; target ${rt.label}`);
    const problem = (await obtainToken(rt)) ?? (await preflight(rt.target));
    if (problem) return { exitCode: 2, files: [], message: problem };
    const plan = planRun(o, rt.facts);
    if ('problem' in plan) return { exitCode: 2, files: [], message: plan.problem };
    const exec = await execute(plan, rt, work, o);
    return await judge(exec, rt, o, started, plan.shard);
  } finally {
    work.close();
    await rt?.close();
  }
}
