// The worker side of a run: reads the run configuration the launcher put in the environment,
// builds the cases (same seed, same list), and registers one vitest test per case. Records go to
// a JSONL file, one line per case, so memory does not grow with the case count.

import { appendFileSync } from 'node:fs';
import { describe, test } from 'vitest';
import { buildCases, type Case, type SuiteName } from '../../generators/cases.ts';
import type { Target } from './http.ts';
import { failureText, runCase, type RunState, type CaseContextInfo } from './run-case.ts';

export const RUN_ENV = 'CONFORMANCE_RUN_CONFIG';

export interface RunConfig {
  target: Target;
  seed: number;
  vpcChannelIds: string[];
  instanceIds: string[];
  caseIds?: string[]; // --case: run only these
  stressRepeats: number;
  recordsFile: string;
  maxConsecutiveTimeouts: number;
}

export function readRunConfig(): RunConfig | undefined {
  const raw = process.env[RUN_ENV];
  return raw ? (JSON.parse(raw) as RunConfig) : undefined;
}

export function casesOf(config: Pick<RunConfig, 'seed' | 'vpcChannelIds' | 'instanceIds' | 'stressRepeats' | 'caseIds'> & { hasForbiddenToken: boolean }): Case[] {
  const all = buildCases({ seed: config.seed, vpcChannelIds: config.vpcChannelIds, instanceIds: config.instanceIds, hasForbiddenToken: config.hasForbiddenToken, stressRepeats: config.stressRepeats });
  return config.caseIds?.length ? all.filter((c) => config.caseIds!.includes(c.id)) : all;
}

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
    const info: CaseContextInfo = {
      runSeed: config.seed,
      available: { vpcChannelId: config.vpcChannelIds.length > 0, instanceIds: config.instanceIds.length > 0, forbiddenToken: !!config.target.forbiddenToken },
    };
    const cases = casesOf({ ...config, hasForbiddenToken: !!config.target.forbiddenToken }).filter((c) => c.suite === suite);
    for (const c of cases) {
      test(`${c.id} [${c.ruleId}]`, async (ctx) => {
        const record = await runCase(c, config.target, info, state);
        appendFileSync(config.recordsFile, `${JSON.stringify(record)}\n`);
        if (record.outcome === 'skipped' || record.outcome === 'not_run') ctx.skip(record.reason);
        if (record.outcome === 'failed' || record.outcome === 'timeout' || record.outcome === 'error') throw new ConformanceFailure(failureText(record));
      });
    }
  });
}
