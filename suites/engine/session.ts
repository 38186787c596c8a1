// The suites' side of a run: reads the cases the plan built (one JSON line each, from the batch's
// file) and registers one test per case with vitest's runner (@vitest/runner). A test holds where its
// case is in the file, not the case, and its record goes to a JSONL file: the runner holds neither
// cases nor results.

import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, test } from '@vitest/runner';
import type { Case, SuiteName } from '../../generators/cases.ts';
import { openJsonLines } from '../../reports/jsonl.ts';
import { batchConfig, type RunConfig } from './config.ts';
import { headOf } from './case-head.ts';
import { pacerFor } from './pace.ts';
import { unlessAnswering } from './breaker.ts';
import { type CredentialCheck, credentialCheckFor } from './credential-check.ts';
import { failureText, runCase, stopFields, type RunState, type CaseContextInfo } from './run-case.ts';
import { CaseScheduler, syncKeys } from './schedule.ts';
import type { CaseRecord } from '../../reports/model.ts';

// One state for the whole run, so a dead target stops every suite: the suites of a batch share it, and
// each suite starts from the state the last one left in the run's state file.
const state: RunState = { consecutiveTimeouts: 0, maxConsecutiveTimeouts: 3 };

// A renewed token (IAM) goes with it: each suite reads the run configuration afresh, and so does each batch.
type Breaker = Pick<RunState, 'consecutiveTimeouts' | 'stopped' | 'stoppedBy'> & { token?: string };
const breakerOf = (s: RunState, target: RunConfig['target'], given: string): Breaker => ({
  consecutiveTimeouts: s.consecutiveTimeouts,
  ...(s.stopped ? { stopped: s.stopped, stoppedBy: s.stoppedBy } : {}),
  ...(target.token !== given ? { token: target.token } : {}),
});
const sameBreaker = (a: Breaker, b: Breaker) =>
  a.consecutiveTimeouts === b.consecutiveTimeouts &&
  a.stopped === b.stopped &&
  a.stoppedBy === b.stoppedBy &&
  a.token === b.token;

/** A verdict on the target, not a bug of ours: it carries no stack, which the test runner would otherwise carry into every failure's result. */
export class ConformanceFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceFailure';
    this.stack = `${this.name}: ${message}`;
  }
}

// --concurrency N: cases run side by side, each with a breaker of its own, folded into the run's in plan order.
const scheduler = new CaseScheduler();

/** Runs one case with its own breaker state, started from the run's as it stands now. */
async function isolated(c: Case, target: RunConfig['target'], info: CaseContextInfo, credentials: CredentialCheck) {
  const own: RunState = { ...state, consecutiveTimeouts: 0 };
  return { record: await runCase(c, target, info, own, credentials), own };
}

const answered = (r: CaseRecord) => r.response !== undefined || !!r.exchanges?.some((e) => e.response);

/** Folds a case into the run's breaker as a sequential run would have, in plan order. */
async function fold(
  { record, own }: { record: CaseRecord; own: RunState },
  target: RunConfig['target'],
  credentials: CredentialCheck,
): Promise<CaseRecord> {
  if (state.stopped && record.outcome !== 'skipped' && record.reason !== state.stopped) {
    return {
      ...headOf(record),
      outcome: 'not_run',
      ...stopFields(state),
      checks: [],
      failures: [],
    };
  }
  state.consecutiveTimeouts = answered(record)
    ? own.consecutiveTimeouts
    : state.consecutiveTimeouts + own.consecutiveTimeouts;
  if (own.stopped) {
    state.stopped ??= own.stopped;
    state.stoppedBy ??= own.stoppedBy;
  }
  await unlessAnswering(state, target, credentials);
  return record;
}

/** --rate-limit: the window goes on from where the launcher (preflight) or the previous suite left it. */
function handOnPace({ paceFile, target }: RunConfig): void {
  if (!paceFile || !target.rateLimit) return;
  beforeAll(() => {
    pacerFor(target.rateLimit, existsSync(paceFile) ? (JSON.parse(readFileSync(paceFile, 'utf8')) as number[]) : []);
  });
  afterAll(() => writeFileSync(paceFile, JSON.stringify(pacerFor(target.rateLimit)!.history())));
}

/** Registers the tests of one suite: each case its own test, named by case id and rule. */
export function defineSuite(suite: SuiteName): void {
  const text = batchConfig();
  const config = text === undefined ? undefined : (JSON.parse(text) as RunConfig);
  describe(suite, () => {
    if (!config) {
      test.skip(`${suite}: no run configuration (start runs with \`npm run conformance\`)`, () => {});
      return;
    }
    const given = config.target.token;
    // From the state the suite before it left (a tripped breaker, a renewed token): read as the suite
    // starts, since the runner collects every suite of a pass before it runs the first.
    beforeAll(() => {
      state.maxConsecutiveTimeouts = config.maxConsecutiveTimeouts;
      const { token, ...carried }: Breaker = existsSync(config.stateFile)
        ? JSON.parse(readFileSync(config.stateFile, 'utf8'))
        : { consecutiveTimeouts: 0 };
      Object.assign(state, { consecutiveTimeouts: 0, stopped: undefined, stoppedBy: undefined }, carried);
      if (token) config.target.token = token;
    });
    const breaker = () => breakerOf(state, config.target, given);
    const info: CaseContextInfo = { runSeed: config.seed };
    const credentials = credentialCheckFor(config.target);
    const cases = openJsonLines<Case>(config.casesFile);
    afterAll(() => cases.close());
    handOnPace(config);
    const parallel = (config.concurrency ?? 1) > 1;
    for (const [c, at] of cases.records) {
      if (c.suite !== suite) continue;
      (parallel ? test.concurrent : test)(
        `${c.id} [${c.ruleId}]`,
        async (ctx) => {
          const before = breaker();
          const one = cases.load(at);
          const record = parallel
            ? await scheduler.run(
                syncKeys(one),
                () => isolated(one, config.target, info, credentials),
                (r) => fold(r, config.target, credentials),
              )
            : await runCase(one, config.target, info, state, credentials);
          if (!sameBreaker(before, breaker())) writeFileSync(config.stateFile, JSON.stringify(breaker()));
          appendFileSync(config.recordsFile, `${JSON.stringify(record)}\n`);
          if (record.outcome === 'skipped' || record.outcome === 'not_run') ctx.skip(record.reason);
          if (record.outcome === 'failed' || record.outcome === 'timeout' || record.outcome === 'error')
            throw new ConformanceFailure(failureText(record));
        },
        config.caseTimeoutMs,
      );
    }
  });
}
