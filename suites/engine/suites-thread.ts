// The suites' thread: a worker the execute stage starts with the run, in which vitest's test runner
// (@vitest/runner) collects and runs the suites, one pass per batch of cases. A thread of its own
// keeps the runner's state apart from any other runner in the process (a consumer's vitest test that
// calls runConformance runs on the same package) and lets the cases run beside the embedded server.

import { parentPort } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startTests, type File, type VitestRunner } from '@vitest/runner';
import { collectingBatch, type FromSuites, type ToSuites } from './config.ts';
import './session.ts'; // loaded while the launcher plans: what the suites need

// The suites, as sources (tsx) or as the built JavaScript of dist/, in the order they run on every run.
const EXT = import.meta.url.endsWith('.ts') ? '.suite.ts' : '.suite.js';
const SUITE_FILES = ['positive', 'negative', 'auth', 'robustness'].map((s) =>
  fileURLToPath(new URL(`../${s}${EXT}`, import.meta.url)),
);

/** No shuffling, no retries; each case's own timeout comes with the run configuration. */
const runnerConfig = (maxConcurrency: number): VitestRunner['config'] => ({
  root: fileURLToPath(new URL('..', import.meta.url)),
  setupFiles: [],
  name: undefined,
  passWithNoTests: true,
  testNamePattern: undefined,
  allowOnly: false,
  sequence: { shuffle: false, concurrent: false, seed: 0, hooks: 'stack', setupFiles: 'list' },
  chaiConfig: undefined,
  maxConcurrency,
  testTimeout: 0,
  hookTimeout: 0,
  retry: 0,
  includeTaskLocation: false,
  tags: [],
  tagsFilter: undefined,
  strictTags: false,
});

/** Our failure in a pass (a suite that did not load, a hook that threw), or undefined. */
function runnerError(files: File[]): string | undefined {
  const broken = files.filter((f) => f.result?.state === 'fail' && (f.result?.errors?.length ?? 0) > 0);
  if (broken.length) return `a suite failed to load: ${broken[0].name}: ${broken[0].result!.errors![0].message}`;
  return undefined;
}

const send = (m: FromSuites) => parentPort!.postMessage(m);

parentPort!.on('message', async ({ pass, config }: ToSuites) => {
  const runner: VitestRunner = {
    config: runnerConfig(config.concurrency ?? 1),
    // Each pass imports the suites afresh (a module runs once per URL), so that they register its cases.
    importFile: (file) => import(`${pathToFileURL(file).href}?pass=${pass}`),
    onAfterRunTask: (t) => send({ case: t.name }),
  };
  try {
    const files = await collectingBatch(config, () => startTests(SUITE_FILES, runner));
    send({ pass, error: runnerError(files) });
  } catch (e) {
    send({ pass, error: `internal error in the test runner: ${(e as Error).message}` });
  }
});
send({ up: true });
