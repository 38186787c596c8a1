// What the launcher hands the worker: the run configuration, in a file of the run's workspace that the
// launcher writes once the target and the plan are known. The worker learns where it is through
// vitest's provide/inject, and its suites wait for it. Kept apart from session.ts so that the
// launcher does not load vitest's test runtime.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Target } from './http.ts';

/** The key under which vitest provides the run configuration's path to the worker. */
export const RUN_CONFIG_KEY = 'romaVpcSyncRunConfig';

export interface RunConfig {
  target: Target;
  seed: number;
  casesFile: string; // JSONL, one Case per line: the cases of the current batch
  recordsFile: string; // JSONL, one CaseRecord per line, appended as cases finish
  stateFile: string; // JSON: the breaker, carried from one batch to the next
  maxConsecutiveTimeouts: number;
  caseTimeoutMs: number; // a case's test timeout
  concurrency?: number; // --concurrency: cases in flight at once (default 1)
  paceFile?: string; // JSON: the --rate-limit window's recent start times, handed from the launcher to each suite
}

/** Written whole (through a rename), so the worker never reads half of it. */
export function writeRunConfig(file: string, config: RunConfig): void {
  writeFileSync(`${file}.partial`, JSON.stringify(config));
  renameSync(`${file}.partial`, file);
}

/** The configuration's text, once the launcher has written it (the launcher always does, or ends the worker). */
export async function waitForRunConfig(file: string): Promise<string> {
  while (!existsSync(file)) await sleep(2);
  return readFileSync(file, 'utf8');
}
