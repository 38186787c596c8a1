// What the launcher hands the worker: the run configuration, through one environment variable.
// Kept apart from session.ts so that the launcher does not load vitest's test runtime.

import type { Target } from './http.ts';

export const RUN_ENV = 'CONFORMANCE_RUN_CONFIG';

export interface RunConfig {
  target: Target;
  seed: number;
  casesFile: string; // JSONL, one Case per line: the cases of the current batch
  recordsFile: string; // JSONL, one CaseRecord per line, appended as cases finish
  stateFile: string; // JSON: the breaker, carried from one batch to the next
  maxConsecutiveTimeouts: number;
  concurrency?: number; // --concurrency: cases in flight at once (default 1)
  paceFile?: string; // JSON: the --rate-limit window's recent start times, handed from the launcher to each suite
}

export function readRunConfig(): RunConfig | undefined {
  const raw = process.env[RUN_ENV];
  return raw ? (JSON.parse(raw) as RunConfig) : undefined;
}
