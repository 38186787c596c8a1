#!/usr/bin/env node
// The package bin: runs the TypeScript CLI through tsx's loader, so no build step is needed after npm ci.
import { register } from 'tsx/esm/api';

// tsx's loader hooks see every import made after register(), each a round trip to the loader
// thread: a run's heavy dependencies (vitest alone is hundreds of modules) load about 1 s faster
// natively, so they are loaded first. The CLI then finds them in the module cache.
// --help, --version and --list-cases need none of them.
const quick = process.argv.slice(2).some((a) => ['--help', '-h', '--version', '--list-cases'].includes(a));
if (!quick) {
  await Promise.all(
    ['vitest/node', 'ajv/dist/2020.js', 'ajv-formats', 'supertest', 'xmlbuilder2', '@faker-js/faker/locale/en'].map((m) => import(m)),
  );
}
register();
await import('./conformance.ts');
