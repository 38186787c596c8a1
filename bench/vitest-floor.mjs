// The floor under a short run: vitest alone, as the launcher drives it (programmatic, one threads
// worker, the native module runner), running 45 empty tests. `node bench/vitest-floor.mjs DIR`, DIR
// holding one *.suite.js file; bench/run.ts writes it and times this process.

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
await vitest.close();
