// The worker side of a run: reads the run configuration the launcher put in the environment and
// the cases the launcher built (one JSON line each, so both sides run the very same list), and
// registers one vitest test per case. A test holds where its case is in the file, not the case,
// and its record goes to a JSONL file: the worker holds neither cases nor results.

import { appendFileSync } from 'node:fs';
import { afterAll, describe, test } from 'vitest';
import type { Case, SuiteName } from '../../generators/cases.ts';
import { openJsonLines } from '../../reports/jsonl.ts';
import { readRunConfig } from './config.ts';
import { failureText, runCase, type RunState, type CaseContextInfo } from './run-case.ts';

export { RUN_ENV, readRunConfig, type RunConfig } from './config.ts';

// One state for the whole run (the suites share a worker, isolate: false), so a dead target stops every suite.
const state: RunState = { consecutiveTimeouts: 0, maxConsecutiveTimeouts: 3 };

export class ConformanceFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceFailure';
  }
}

/** Registers the tests of one suite: each case its own test, named by case id and rule. */
export function defineSuite(suite: SuiteName): void {
  const config = readRunConfig();
  describe(suite, () => {
    if (!config) {
      test.skip(`${suite}: no run configuration (start runs with \`npm run conformance\`)`, () => {});
      return;
    }
    state.maxConsecutiveTimeouts = config.maxConsecutiveTimeouts;
    const info: CaseContextInfo = { runSeed: config.seed, available: config.available };
    const cases = openJsonLines<Case>(config.casesFile);
    afterAll(() => cases.close());
    for (const [c, at] of cases.records) {
      if (c.suite !== suite) continue;
      test(`${c.id} [${c.ruleId}]`, async (ctx) => {
        const record = await runCase(cases.load(at), config.target, info, state);
        appendFileSync(config.recordsFile, `${JSON.stringify(record)}\n`);
        if (record.outcome === 'skipped' || record.outcome === 'not_run') ctx.skip(record.reason);
        if (record.outcome === 'failed' || record.outcome === 'timeout' || record.outcome === 'error') throw new ConformanceFailure(failureText(record));
      });
    }
  });
}
