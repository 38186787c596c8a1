// Stage "execute": sends the planned cases. The suites (suites/*.suite.ts through
// suites/engine/session.ts, one test per case) run in a thread of their own on vitest's own test
// runner, @vitest/runner: the describe/test/hooks, timeouts and concurrency of vitest without its
// CLI, vite or worker pool, whose start-up was most of a short run's. The suites read the cases from
// a file and append a record per case to another; the timeout breaker is carried from one suite and
// one batch to the next in a state file.
// Flags that take effect here: --timeout-ms (the test timeout), --concurrency, and the progress line.

import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Case } from '../../generators/cases.ts';
import type { FromSuites, RunConfig, ToSuites } from '../engine/config.ts';
import { pacerFor } from '../engine/pace.ts';
import type { ConformanceOptions } from './options.ts';
import type { Plan } from './plan.ts';
import { skippedRecord } from './skipped.ts';
import type { RunTarget } from './target.ts';
import type { Workspace } from './workspace.ts';

// Cases per runner pass. The runner holds a task per test until its pass ends (about 14 KB of RSS
// each, measured with vitest), so a long run is cut into batches: memory stays that of one batch.
// A default run is one batch.
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
 * cases to send in batches to `batch(k)` (for the suites), one batch of text at a time. Returns the batch count.
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

// The suites' thread, as sources (through tsx's loader) or as the built JavaScript of dist/.
const SOURCES = import.meta.url.endsWith('.ts');
const SUITES_THREAD = new URL(`../engine/suites-thread.${SOURCES ? 'ts' : 'js'}`, import.meta.url);
// From sources, the thread registers tsx's loader first, through the launcher's own bin/runtime.js
// (`--import tsx` in a worker's execArgv was not applied reliably on Node 20: "Unknown file extension").
const THROUGH_TSX = SOURCES
  ? `import(${JSON.stringify(new URL('../../bin/runtime.js', import.meta.url).href)})
      .then(() => import(${JSON.stringify(SUITES_THREAD.href)}))`
  : '';

/** Progress over every batch (the total is known once the plan is); `end()` once they have all run. */
function progressReporter(mode: ConformanceOptions['progress'], log: (l: string) => void) {
  let done = 0;
  let total = 0;
  return {
    onTestCaseResult(tc: { name: string }) {
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

/** The longest a case can take: every attempt times out and every throttled wait is the longest allowed. */
const caseTimeoutMs = (t: RunTarget['target']) =>
  t.timeoutMs * t.retry.attempts + t.retry.maxWaitMs * (t.retry.attempts - 1) + 10_000;

/** The suites' thread, started with the run; `execute` hands it the cases, `close` ends it (once). */
export interface Suites {
  execute(plan: Plan, rt: RunTarget, o: Pick<ConformanceOptions, 'seed'>): Promise<Execution>;
  close(): Promise<void>;
}

/**
 * Starts the suites' thread. It loads while the launcher opens the target and plans (on another core:
 * the cases then run beside the embedded reference server, which answers them in this thread).
 */
export function startSuites(work: Workspace, o: Pick<ConformanceOptions, 'progress' | 'log' | 'concurrency'>): Suites {
  const worker = SOURCES ? new Worker(THROUGH_TSX, { eval: true }) : new Worker(SUITES_THREAD);
  const progress = progressReporter(o.progress, o.log);
  let failed: string | undefined; // the thread itself died
  let settle: ((error: string | undefined) => void) | undefined;
  let markUp = () => {};
  const up = new Promise<void>((resolve) => (markUp = resolve)); // or dead: then `failed` says why
  worker.on('message', (m: FromSuites) => {
    if ('up' in m) markUp();
    else if ('case' in m) progress.onTestCaseResult({ name: m.case });
    else settle?.(m.error);
  });
  const die = (why: string) => {
    failed ??= `internal error in the suites' thread: ${why}`;
    markUp();
    settle?.(failed);
  };
  worker.on('error', (e) => die(e.message));
  worker.on('exit', (code) => die(`it exited (${code})`));
  const runPass = (pass: number, config: RunConfig) =>
    new Promise<string | undefined>((resolve) => {
      if (failed) return resolve(failed);
      settle = resolve;
      worker.postMessage({ pass, config } satisfies ToSuites);
    });
  let closing: Promise<void> | undefined;
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
      // The suites run exactly the cases of these files, read one at a time in their thread.
      const batches = writeCases({ all: casesFile, records: recordsFile, batch: batchFile }, plan);
      if (batches === 0) return { casesFile, recordsFile };
      progress.expect(plan.cases.filter((p) => !p.skip).length);
      let internalError: string | undefined;
      try {
        await up;
        for (let k = 0; k < batches && !internalError; k++) {
          renameSync(batchFile(k), config.casesFile);
          internalError = await runPass(k + 1, config);
        }
      } finally {
        progress.end();
      }
      return { casesFile, recordsFile, internalError };
    },
    close() {
      worker.removeAllListeners('exit');
      closing ??= worker.terminate().then(() => undefined);
      return closing;
    },
  };
}
