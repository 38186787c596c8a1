// Makes TypeScript sources runnable with no build step: loads a run's heavy dependencies natively,
// then registers tsx's loader. Imported by the bin; also usable as `node --import ./bin/runtime.js x.ts`.
//
// tsx's loader hooks see every import made after register(), each a round trip to the loader
// thread: faker, ajv and the test runner are hundreds of modules, and loading them natively first
// saves those round trips. The TypeScript modules then find them in the module cache.
import { isMainThread } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// --help, --version and --list-cases need none of them, nor does the suites' thread (a run's worker).
const quick = process.argv.slice(2).some((a) => ['--help', '-h', '--version', '--list-cases'].includes(a));
if (!quick && isMainThread) {
  await Promise.all(
    [
      '@vitest/runner',
      'ajv/dist/2020.js',
      'ajv-formats',
      'xmlbuilder2',
      'http-proxy-agent',
      'https-proxy-agent',
      '@faker-js/faker/locale/en',
    ].map((m) => import(m)),
  );
}
register();
