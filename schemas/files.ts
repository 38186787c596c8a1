// Where the package's own files are (package.json, the page and errata under spec/, the generated
// schemas), from the package root: the same whether this module runs from the TypeScript sources or
// from the built dist/, and wherever the package is installed.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above this module that holds a package.json: the repo, or the installed package. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A file of the package, by its path from the package root. */
export const packageFile = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);

export const GENERATED_DIR = packageFile('schemas', 'generated');
export const SEED_PAGE = packageFile('spec', 'page.txt');
export const SEED_ERRATA = packageFile('spec', 'errata.json');
export const SEED_EVIDENCE = packageFile('spec', 'evidence.json');

/** The tool's name and version, as reports and --version give them. */
export const TOOL: { name: string; version: string } = (() => {
  const { name, version } = JSON.parse(readFileSync(packageFile('package.json'), 'utf8'));
  return { name, version };
})();
