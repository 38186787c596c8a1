// `npm run schemas`: compile spec/page.txt + spec/errata.json into schemas/generated/.
// `--check` compares instead of writing (exit 1 when the committed files are stale).

import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { compile, CompileError, type Errata } from './compiler/compile.ts';
import { PageFormatError } from './compiler/parse-page.ts';
import { buildOpenApi } from './compiler/openapi.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
export const GENERATED_DIR = join(root, 'schemas', 'generated');

/** Every generated file, by name, as the text that is committed. */
export function renderGenerated(): Record<string, string> {
  const page = readFileSync(join(root, 'spec', 'page.txt'), 'utf8');
  const errata = JSON.parse(readFileSync(join(root, 'spec', 'errata.json'), 'utf8')) as Errata;
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const c = compile(page, errata);
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const files: Record<string, string> = {};
  for (const [name, schema] of Object.entries(c.schemas)) files[`${name}.schema.json`] = json(schema);
  files['registry.json'] = json({
    operation: c.operation,
    rules: c.registry,
    review: c.review,
    conflicts: c.conflicts,
    decisions: errata.decisions,
  });
  files['openapi.json'] = json(buildOpenApi(c, version));
  return files;
}

function main(): void {
  const check = process.argv.includes('--check');
  let files: Record<string, string>;
  try {
    files = renderGenerated();
  } catch (e) {
    if (e instanceof PageFormatError || e instanceof CompileError) {
      console.error(`schemas: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  mkdirSync(GENERATED_DIR, { recursive: true });
  const existing = readdirSync(GENERATED_DIR).filter((f) => f.endsWith('.json'));
  if (check) {
    const stale = [...new Set([...existing, ...Object.keys(files)])].filter((f) => {
      try {
        return readFileSync(join(GENERATED_DIR, f), 'utf8') !== files[f];
      } catch {
        return true;
      }
    });
    if (stale.length) {
      console.error(`schemas: stale generated files: ${stale.join(', ')} (run npm run schemas)`);
      process.exit(1);
    }
    console.log(`schemas: ${Object.keys(files).length} generated files are up to date`);
    return;
  }
  for (const f of existing) if (!(f in files)) rmSync(join(GENERATED_DIR, f));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(GENERATED_DIR, f), text);
  console.log(`schemas: wrote ${Object.keys(files).length} files to schemas/generated/`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
