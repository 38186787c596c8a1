// The report dir of a run: the files a run writes there, checked writable and cleared before the run
// starts. Apart from the writers (reports/index.ts), which a run needs only at its end.

import { rm } from 'node:fs/promises';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const REPORT_FILES = ['conformance.json', 'junit.xml', 'conformance.md', 'conformance.html'] as const;

/** Removes the report files of an earlier run from `dir`, so that a run that writes none leaves none that look current. */
export async function removeReports(dir: string): Promise<void> {
  await Promise.all(REPORT_FILES.map((f) => rm(join(resolve(dir), f), { force: true })));
}

/**
 * Makes sure reports can be written to `dir` before a run spends any time: creates it (one level
 * at a time from its nearest existing ancestor: Node's recursive mkdir never returns under /proc)
 * and clears an earlier run's files. Returns why not, in one line, or undefined when it can.
 */
export async function prepareReportDir(dir: string): Promise<string | undefined> {
  const out = resolve(dir);
  const missing: string[] = [];
  let at = out;
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  try {
    if (!statSync(at).isDirectory()) return `cannot write reports to ${out}: ${at} is not a directory`;
    for (const d of missing) mkdirSync(d);
    accessSync(out, constants.W_OK);
    await removeReports(out);
    return undefined;
  } catch (e) {
    return `cannot write reports to ${out}: ${(e as Error).message}`;
  }
}
