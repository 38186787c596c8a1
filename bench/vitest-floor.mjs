// The floor under a short run: vitest alone, as the launcher drives it (programmatic, one threads
// worker, the native module runner), running 45 empty tests. `node bench/vitest-floor.mjs DIR`, DIR
// inside this repo (the suite imports vitest) holding one *.suite.js file; bench/run.ts writes it
// and times this process.

import { createVitest } from 'vitest/node';

const root = process.argv[2];
const vitest = await createVitest(
  'test',
  {
    root,
    config: false,
    include: ['*.suite.js'],
    watch: false,
    reporters: [{}],
    pool: 'threads',
    maxWorkers: 1,
    isolate: false,
    fileParallelism: false,
    cache: false,
    experimental: { viteModuleRunner: false, nodeLoader: false },
  },
  { logLevel: 'silent' },
);
await vitest.start();
// A floor only counts if the tests ran: a suite that failed to load would make it look low.
const files = vitest.state.getFiles();
const ran = files.flatMap((f) => f.tasks).filter((t) => t.result?.state === 'pass').length;
await vitest.close();
if (ran === 0 || files.some((f) => f.result?.state !== 'pass')) {
  console.error(`vitest-floor: the empty tests did not all run (${ran} passed)`);
  process.exitCode = 1;
}
