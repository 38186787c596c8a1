// `npm run schemas`: compile spec/page.txt + spec/errata.json into schemas/generated/.
// `--page FILE --out DIR [--errata FILE]` compiles any reference page in this layout into DIR instead,
// leaving the repo's own outputs alone. `--check` compares instead of writing (exit 1 when stale);
// `--strict` stops at a bound stated twice that the errata do not decide.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Compiled, CompileError, compile, type Errata } from './compiler/compile.ts';
import { buildOpenApi } from './compiler/openapi.ts';
import { toOpenApi30 } from './compiler/openapi30.ts';
import { errataShapeError } from './errata-shape.ts';
import { PageFormatError } from './compiler/parse-page.ts';
import { VALIDATORS_FILE, validatorsModule } from './validator.ts';

import { GENERATED_DIR, SEED_ERRATA, SEED_PAGE, TOOL } from './files.ts';

export { GENERATED_DIR, SEED_ERRATA, SEED_PAGE };

const USAGE = `usage: npm run schemas -- [--page FILE --out DIR] [--errata FILE] [--strict] [--check]

  (no flags)      compile spec/page.txt + spec/errata.json into schemas/generated/
  --page FILE     compile another reference page in this layout (needs --out)
  --out DIR       where the schemas, registry.json and openapi.json go
  --errata FILE   human decisions to apply (default: spec/errata.json for the repo's page, none for --page)
  --strict        stop at a bound the page states twice with two values that the errata do not decide
  --check         compare with DIR instead of writing (exit 1 when stale)`;

/** A usage or input problem: one line, exit 2. */
export class UsageError extends Error {}

const NO_ERRATA: Errata = { required: [], overrides: [], rules: [], conflicts: [], decisions: [], pageRules: [] };

/** An errata file, with the sections it leaves out empty. */
export function readErrata(file: string | undefined): Errata {
  if (!file) return NO_ERRATA;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(
      `cannot read the errata ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError(`errata ${file}: expected a JSON object`);
  const wrong = errataShapeError(parsed);
  if (wrong) throw new UsageError(`errata ${file}: ${wrong}`);
  return { ...NO_ERRATA, ...(parsed as Partial<Errata>) };
}

/** A file the user named, or a one-line UsageError saying which and why not. */
export function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read the ${what} ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

export const readPage = (file: string) => readText(file, 'page');

/** Every generated file of a compiled page, by name, as the text that is written. */
export function renderCompiled(c: Compiled, errata: Errata, version: string, source?: string): Record<string, string> {
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
  const openapi = buildOpenApi(c, version, source, errata.openapi);
  files['openapi.json'] = json(openapi);
  files['openapi-3.0.json'] = json(toOpenApi30(openapi));
  return files;
}

const packageVersion = () => TOOL.version;

/** The repo's generated files, as committed (the seed page and its errata). */
export function renderGenerated(): Record<string, string> {
  const errata = readErrata(SEED_ERRATA);
  return withValidators(compile(readPage(SEED_PAGE), errata), (c) => renderCompiled(c, errata, packageVersion()));
}

/** The runtime contract's files also hold its precompiled validators (not written for other pages). */
function withValidators(c: Compiled, render: (c: Compiled) => Record<string, string>): Record<string, string> {
  return { ...render(c), [VALIDATORS_FILE]: validatorsModule(c.schemas) };
}

interface Options {
  page: string;
  errata?: string;
  out: string;
  strict: boolean;
  check: boolean;
}

const FLAGS = {
  page: { type: 'string' },
  out: { type: 'string' },
  errata: { type: 'string' },
  strict: { type: 'boolean', default: false },
  check: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function options(argv: string[]): Options | 'help' {
  let v: ReturnType<typeof parseArgs<{ args: string[]; options: typeof FLAGS; strict: true }>>['values'];
  try {
    v = parseArgs({ args: argv, options: FLAGS, strict: true }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (v.help) return 'help';
  // npm runs scripts in the package root; the user's relative paths are relative to where they typed.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const at = (p: string | undefined) => (p === undefined ? undefined : resolve(cwd, p));
  if (v.page !== undefined && v.out === undefined)
    throw new UsageError("--page needs --out DIR (the repo's own schemas/generated/ is only for spec/page.txt)");
  const page = at(v.page) ?? SEED_PAGE;
  const errata = at(v.errata) ?? (v.page === undefined ? SEED_ERRATA : undefined);
  const out = at(v.out) ?? GENERATED_DIR;
  if (out === GENERATED_DIR && (page !== SEED_PAGE || errata !== SEED_ERRATA))
    throw new UsageError(
      'schemas/generated/ holds the compiled spec/page.txt and spec/errata.json only; give another --out DIR',
    );
  return {
    page,
    errata,
    out,
    strict: v.strict!,
    check: v.check!,
  };
}

function run(o: Options): number {
  const errata = readErrata(o.errata);
  const c = compile(readPage(o.page), errata, { strict: o.strict });
  const source =
    o.page === SEED_PAGE
      ? undefined
      : `the page ${basename(o.page)}${o.errata ? ` and the errata ${basename(o.errata)}` : ''}`;
  const render = (c: Compiled) => renderCompiled(c, errata, packageVersion(), source);
  const files = o.out === GENERATED_DIR ? withValidators(c, render) : render(c);
  const undecided = c.conflicts.filter((k) => k.decided === false).length;
  const summary = `${c.registry.length} rules, ${c.review.length} sentences for review, ${c.conflicts.length} conflicts (${undecided} undecided)`;
  if (existsSync(o.out) && !statSync(o.out).isDirectory()) throw new UsageError(`--out ${o.out}: not a directory`);
  if (o.check) {
    const existing = existsSync(o.out) ? readdirSync(o.out).filter((f) => f.endsWith('.json')) : [];
    const stale = [...new Set([...existing, ...Object.keys(files)])].filter((f) => {
      try {
        return readFileSync(join(o.out, f), 'utf8') !== files[f];
      } catch {
        return true;
      }
    });
    if (stale.length) {
      console.error(`schemas: stale generated files: ${stale.join(', ')} (run npm run schemas)`);
      return 1;
    }
    console.log(`schemas: ${Object.keys(files).length} generated files are up to date (${summary})`);
    return 0;
  }
  try {
    mkdirSync(o.out, { recursive: true });
  } catch (e) {
    throw new UsageError(`--out ${o.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  // Only files an earlier compile wrote are removed: schemas no longer documented, in a dir with a registry.
  if (existsSync(join(o.out, 'registry.json')))
    for (const f of readdirSync(o.out)) if (f.endsWith('.schema.json') && !(f in files)) rmSync(join(o.out, f));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(o.out, f), text);
  console.log(`schemas: wrote ${Object.keys(files).length} files to ${o.out} (${summary})`);
  return 0;
}

function main(): void {
  try {
    const o = options(process.argv.slice(2));
    if (o === 'help') return void console.log(USAGE);
    process.exitCode = run(o);
  } catch (e) {
    if (e instanceof UsageError || e instanceof PageFormatError || e instanceof CompileError) {
      console.error(`schemas: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
