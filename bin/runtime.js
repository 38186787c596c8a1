// Makes TypeScript sources runnable with no build step: loads a run's heavy dependencies natively,
// then registers tsx's loader. Imported by the bin; also usable as `node --import ./bin/runtime.js x.ts`.
//
// tsx's loader hooks see every import made after register(), each a round trip to the loader
// thread: vitest alone is hundreds of modules, and loading them natively first saves about a
// second per run. The TypeScript modules then find them in the module cache.
import { register } from 'tsx/esm/api';

// --help, --version and --list-cases need none of them.
const quick = process.argv.slice(2).some((a) => ['--help', '-h', '--version', '--list-cases'].includes(a));
if (!quick) {
  await Promise.all(
    [
      'vitest/node',
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
