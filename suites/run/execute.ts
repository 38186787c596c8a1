// Stage "execute": sends the planned cases. The worker (suites/engine/session.ts, one vitest test
// per case) reads the cases from a file and appends a record per case to another; the timeout
// breaker lives in the worker and is carried from one batch to the next in a state file.
// The runner (vitest and its worker) is started before the target and the plan are known: the
// worker's start-up (its runtime, then the suites) is most of a short run's, and the launcher's own
// work happens meanwhile; the suites wait for the run configuration the launcher writes last.
// Flags that take effect here: --timeout-ms (the test timeout), --concurrency, and the progress line.

import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BaseSequencer, createVitest } from 'vitest/node';
import type { TestCase, TestSpecification } from 'vitest/node';
import type { Case } from '../../generators/cases.ts';
import { RUN_CONFIG_KEY, type RunConfig, writeRunConfig } from '../engine/config.ts';
import { pacerFor } from '../engine/pace.ts';
import type { ConformanceOptions } from './options.ts';
import type { Plan } from './plan.ts';
import { skippedRecord } from './skipped.ts';
import type { RunTarget } from './target.ts';
import type { Workspace } from './workspace.ts';

// The suites next to this stage, as sources (tsx, vitest) or as the built JavaScript of dist/.
const SUITES_DIR = fileURLToPath(new URL('..', import.meta.url));
const SUITE_EXT = import.meta.url.endsWith('.ts') ? '.suite.ts' : '.suite.js';
// What the worker loads before vitest's own code, when it runs the built JavaScript.
const PRELOAD = new URL('../engine/preload.js', import.meta.url).href;

// Cases per vitest run. Vitest holds a task per test until its run ends (about 14 KB of RSS each,
// measured), so a long run is cut into batches: memory stays that of one batch, at the price of a
// worker start (about 0.6 s, measured) per batch. A default run is one batch.
export const BATCH_SIZE = 2500;

/** What the run left for the judge: every planned case, the records of those that ran, and our own failure. */
export interface Execution {
  casesFile: string; // JSONL, every planned case
  recordsFile: string; // JSONL, one record per case that ran
  internalError?: string;
}

const lines = (values: readonly unknown[]) => values.map((v) => `${JSON.stringify(v)}\n`).join('');

/**
 * Writes every planned case to `all` (for the report), the record of each skipped one to `records`, and the
 * cases to send in batches to `batch(k)` (for the worker), one batch of text at a time. Returns the batch count.
 */
function writeCases(files: { all: string; records: string; batch: (k: number) => string }, plan: Plan): number {
  const send: Case[] = [];
  writeFileSync(files.all, '');
  writeFileSync(files.records, '');
  for (let k = 0; k < plan.cases.length; k += BATCH_SIZE) {
    const slice = plan.cases.slice(k, k + BATCH_SIZE);
    appendFileSync(files.all, lines(slice.map((p) => p.case)));
    appendFileSync(files.records, lines(slice.flatMap((p) => (p.skip ? [skippedRecord(p.case, p.skip)] : []))));
    for (const p of slice) if (!p.skip) send.push(p.case);
  }
  const batches = Math.ceil(send.length / BATCH_SIZE);
  for (let k = 0; k < batches; k++)
    writeFileSync(files.batch(k), lines(send.slice(k * BATCH_SIZE, (k + 1) * BATCH_SIZE)));
  return batches;
}

// The suites run in this order on every run. Vitest's own order follows its results cache (failed
// and slow files first), so a run would depend on the one before it; and the cache would be written
// into the tool's node_modules.
const SUITE_ORDER = ['positive', 'negative', 'auth', 'robustness'];
class SuiteOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => SUITE_ORDER.findIndex((s) => f.moduleId.endsWith(`/${s}${SUITE_EXT}`));
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

/** What the composition may do at points of the execution. */
export interface ExecuteHooks {
  /** Called once the worker has its run, which it starts when it is up: this thread waits for the cases till then. */
  whileWorkerStarts?: () => void;
}

/** Progress over every batch (the total is known once the plan is); `end()` once they have all run. */
function progressReporter(mode: ConformanceOptions['progress'], log: (l: string) => void) {
  let done = 0;
  let total = 0;
  return {
    onTestCaseResult(tc: TestCase) {
      done++;
      if (mode === 'tty') process.stderr.write(`\r\x1b[2K[${done}/${total}] ${tc.name.slice(0, 100)}`);
    },
    expect(n: number) {
      total = n;
    },
    end() {
      if (mode === 'tty') process.stderr.write('\r\x1b[2K');
      else if (mode === 'plain') log(`${done} of ${total} cases recorded (outcomes below)`);
    },
  };
}

type Vitest = Awaited<ReturnType<typeof createVitest>>;

/** The vitest failure of a batch that is ours (an unhandled error, a suite that did not load), or undefined. */
function runnerError(vitest: Vitest): string | undefined {
  const errors = vitest.state.getUnhandledErrors();
  const broken = vitest.state
    .getFiles()
    .filter((f) => f.result?.state === 'fail' && (f.result?.errors?.length ?? 0) > 0);
  if (broken.length) return `a suite failed to load: ${broken[0].name}: ${broken[0].result!.errors![0].message}`;
  if (errors.length) return `internal error in the test runner: ${String((errors[0] as Error)?.message ?? errors[0])}`;
  return undefined;
}

/** The longest a case can take: every attempt times out and every throttled wait is the longest allowed. */
const caseTimeoutMs = (t: RunTarget['target']) =>
  t.timeoutMs * t.retry.attempts + t.retry.maxWaitMs * (t.retry.attempts - 1) + 10_000;

/** vitest and its worker, started before the run is known; `execute` hands them the run, `close` ends them (once). */
export interface Runner {
  execute(plan: Plan, rt: RunTarget, o: Pick<ConformanceOptions, 'seed'>): Promise<Execution>;
  close(): Promise<void>;
}

export function startRunner(
  work: Workspace,
  o: Pick<ConformanceOptions, 'progress' | 'log' | 'concurrency'>,
  hooks: ExecuteHooks = {},
): Runner {
  const configFile = work.file('run-config.json');
  const progress = progressReporter(o.progress, o.log);
  const exitCodeBefore = process.exitCode; // vitest sets it when a test fails; the verdict is ours to give
  const vitest = createVitest(
    'test',
    {
      root: SUITES_DIR,
      config: false,
      include: [`*${SUITE_EXT}`],
      watch: false,
      reporters: [progress],
      pool: 'threads',
      maxWorkers: 1,
      isolate: false,
      fileParallelism: false,
      // Each case's own timeout comes with the run configuration (it follows from the target's).
      testTimeout: 0,
      passWithNoTests: true,
      maxConcurrency: o.concurrency ?? 1,
      sequence: { shuffle: false, sequencer: SuiteOrder },
      cache: false,
      // Where the worker finds the run configuration, once the launcher has written it.
      provide: { [RUN_CONFIG_KEY]: configFile },
      ...(SUITE_EXT === '.suite.js'
        ? { experimental: { viteModuleRunner: false, nodeLoader: false }, execArgv: ['--import', PRELOAD] }
        : {}),
    } as never,
    { logLevel: 'silent' } as never,
  );
  const first = vitest.then((v) => v.start());
  first.catch(() => {}); // awaited by execute or close
  let handedOver = false;
  let closing: Promise<void> | undefined;
  /** Lets the waiting suites go: with this run, or (never handed a run) with no cases at all. */
  const handOver = (config: RunConfig) => {
    handedOver = true;
    writeRunConfig(configFile, config);
  };
  const empty = (): RunConfig => {
    writeFileSync(work.file('no-cases.jsonl'), '');
    return {
      target: {
        baseUrl: '',
        projectId: '',
        token: '',
        timeoutMs: 0,
        maxBodyBytes: 0,
        retry: { attempts: 1, maxWaitMs: 0 },
      },
      seed: 0,
      casesFile: work.file('no-cases.jsonl'),
      recordsFile: work.file('no-records.jsonl'),
      stateFile: work.file('no-state.json'),
      maxConsecutiveTimeouts: 3,
      caseTimeoutMs: 0,
    };
  };
  return {
    async execute(plan, rt, options) {
      const { target } = rt;
      const casesFile = work.file('cases.jsonl');
      const recordsFile = work.file('records.jsonl');
      const batchFile = (k: number) => work.file(`batch-${k}.jsonl`);
      const config: RunConfig = {
        target,
        seed: options.seed,
        casesFile: work.file('batch.jsonl'),
        recordsFile,
        stateFile: work.file('state.json'),
        maxConsecutiveTimeouts: 3,
        paceFile: work.file('pace.json'),
        concurrency: o.concurrency ?? 1,
        caseTimeoutMs: caseTimeoutMs(target),
      };
      // The preflight's requests count against the window the cases go on with.
      writeFileSync(config.paceFile!, JSON.stringify(pacerFor(target.rateLimit)?.history() ?? []));
      // The worker runs exactly the cases of these files; the launcher holds none of them while they run.
      const batches = writeCases({ all: casesFile, records: recordsFile, batch: batchFile }, plan);
      if (batches === 0) return { casesFile, recordsFile }; // nothing to send: close lets the runner go
      progress.expect(plan.cases.filter((p) => !p.skip).length);
      let internalError: string | undefined;
      try {
        const v = await vitest;
        for (let k = 0; k < batches && !internalError; k++) {
          renameSync(batchFile(k), config.casesFile);
          if (k === 0) {
            handOver(config);
            hooks.whileWorkerStarts?.();
            await first;
          } else await v.runTestSpecifications(await v.globTestSpecifications(), true);
          internalError = runnerError(v);
        }
      } catch (e) {
        internalError = `internal error: ${(e as Error).message}`;
      } finally {
        progress.end();
      }
      return { casesFile, recordsFile, internalError };
    },
    close() {
      closing ??= (async () => {
        try {
          // Never handed a run (the target or the plan said no): its suites go with no cases, and vitest
          // ends its worker where it stands.
          if (!handedOver) handOver(empty());
          await (await vitest).close();
          await first.catch(() => {});
        } catch {
          // a runner that failed to start has nothing to close; execute said why
        } finally {
          process.exitCode = exitCodeBefore;
        }
      })();
      return closing;
    },
  };
}
