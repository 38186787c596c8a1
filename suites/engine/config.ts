// What the execute stage hands the suites' thread (suites/engine/suites-thread.ts): the run
// configuration of each pass, which the suites read as JSON text while they are collected. Each suite
// parses its own copy (a renewed IAM token goes from one to the next through the state file, as from
// one batch to the next). One pass at a time, so "the batch being collected" is well defined.

import type { Target } from './http.ts';

export interface RunConfig {
  target: Target;
  seed: number;
  casesFile: string; // JSONL, one Case per line: the cases of the current batch
  recordsFile: string; // JSONL, one CaseRecord per line, appended as cases finish
  stateFile: string; // JSON: the breaker, carried from one batch to the next
  maxConsecutiveTimeouts: number;
  caseTimeoutMs: number; // a case's test timeout
  concurrency?: number; // --concurrency: cases in flight at once (default 1)
  paceFile?: string; // JSON: the --rate-limit window's recent start times, handed from one suite to the next
}

/** A pass to run: the batch now in `config.casesFile`. */
export interface ToSuites {
  pass: number;
  config: RunConfig;
}
/** The thread is up; a case has run (its test name); a pass has ended, with our own failure if any. */
export type FromSuites = { up: true } | { case: string } | { pass: number; error?: string };

let current: string | undefined;

/** The configuration of the batch whose suites are being collected and run, or undefined outside one. */
export const batchConfig = (): string | undefined => current;

/** Runs `body` (collecting and running one batch's suites; the execute stage sends one at a time) with `config`. */
export async function collectingBatch<T>(config: RunConfig, body: () => Promise<T>): Promise<T> {
  current = JSON.stringify(config);
  try {
    return await body();
  } finally {
    current = undefined;
  }
}
