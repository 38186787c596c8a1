// The package as a consumer team gets it: what `npm pack` ships, and a temp project outside this repo
// that installs the packed tarball with `npm install --offline` (from the cache `npm ci` filled, so no
// registry is asked), imports every entry point from plain Node ESM, type-checks a consumer file under
// the tsconfig `tsc --init` writes, and runs both bins through npx. Nothing in the temp project can
// reach this repo: whatever the run reads (the page, the generated schemas, package.json) must ship.

import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { consumerLock, type Lock } from './consumer-lock.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('./consumer/', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const LONG = 300_000;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: LONG });
  if (r.error) throw r.error;
  return r;
}
const ok = (r: SpawnSyncReturns<string>, what: string) => {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

interface PackedFile {
  path: string;
}
let files: string[] = [];
let project = '';

beforeAll(() => {
  // A fresh build, so the test never judges a stale dist/ (npm pack runs prepare too; once is enough).
  ok(run('npm', ['run', '--silent', 'build'], root), 'npm run build');
  const listing = JSON.parse(
    ok(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], root), 'npm pack --dry-run'),
  );
  files = (listing[0].files as PackedFile[]).map((f) => f.path).sort();

  project = mkdtempSync(join(tmpdir(), 'conformance-consumer-'));
  const packed = JSON.parse(
    ok(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], root), 'npm pack'),
  );
  const tarball = join(project, packed[0].filename);
  copyFileSync(tarball, join(project, 'pkg.tgz'));
  rmSync(tarball);
  const integrity = `sha512-${createHash('sha512')
    .update(readFileSync(join(project, 'pkg.tgz')))
    .digest('base64')}`;
  const repoLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lock;
  const devDependencies = {
    typescript: pkg.devDependencies.typescript,
    '@types/node': pkg.devDependencies['@types/node'],
    vitest: pkg.devDependencies.vitest, // the README's example is a vitest test of the consumer's own
  };
  const lock = consumerLock({ repoLock, pkg, tarball: 'file:pkg.tgz', integrity, devDependencies });
  const manifest = { ...lock.packages[''], private: true, type: 'module' };
  writeFileSync(join(project, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));
  for (const f of ['use.mjs', 'consumer.ts']) copyFileSync(join(here, f), join(project, f));
  ok(run('npm', ['install', '--offline', '--no-audit', '--no-fund'], project), 'npm install --offline');
}, LONG);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('what npm pack ships', () => {
  test('the built JavaScript with its types, the runtime data, the docs; no sources, tests, bench, CI or configs', () => {
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/bin/conformance.js',
      'dist/server/cli.js',
      'dist/server/index.d.ts',
      'dist/schemas/index.d.ts',
      'dist/reports/model.d.ts',
      'dist/suites/positive.suite.js',
      'spec/page.txt',
      'spec/errata.json',
      'schemas/generated/openapi.json',
      'schemas/generated/registry.json',
      'schemas/generated/RequestBody.schema.json',
      'schemas/generated/validators.cjs',
      'reports/conformance.schema.json',
      'reports/summary.schema.json',
      'docs/report.png', // the README shows it
      'docs/POLICY.md', // the ambiguity policy the reports cite
    ])
      expect(files).toContain(f);
    // The ambiguity policy the reports cite ("policy 4") ships once it is in the repo (the safe-runs issue adds it).
    const unwanted = files.filter(
      (f) =>
        /^(test|bench|\.ci|node_modules|bin|suites|server|generators|reports|schemas\/compiler)\//.test(f) &&
        !/^reports\/[a-z]+\.schema\.json$/.test(f),
    );
    expect(unwanted).toEqual([]);
    expect(files.filter((f) => /__snapshots__|\.test\.|tsbuildinfo|\.tgz$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    // The build starts from an empty dist/: nothing but compiled modules and their types ships from it.
    expect(files.filter((f) => f.startsWith('dist/') && !/\.(js|d\.ts)$/.test(f))).toEqual([]);
    for (const f of ['tsconfig.json', 'tsconfig.build.json', 'biome.json', 'vitest.config.ts', 'package-lock.json'])
      expect(files).not.toContain(f);
  });

  test("the README's links and pictures point into the package, and nothing points to ../shared", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const targets = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]);
    const local = targets.filter((t) => !/^[a-z]+:/.test(t));
    expect(local.length).toBeGreaterThan(2);
    expect(local.filter((t) => !files.includes(t.replace(/^\.\//, '')))).toEqual([]);
    for (const f of files.filter((x) => /\.(md|js|json|txt)$/.test(x)))
      expect(readFileSync(join(root, f), 'utf8'), f).not.toMatch(/\.\.\/shared|\/work\/shared/);
  });

  test('publishable: not private, a license file, repository, keywords, engines, both bins, exports', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(pkg.repository.url).toMatch(/^git\+https:/);
    expect(pkg.keywords.length).toBeGreaterThan(3);
    expect(pkg.engines.node).toMatch(/^>=20/);
    expect(Object.keys(pkg.bin)).toEqual(['roma-vpc-sync-conformance', 'roma-vpc-sync-reference-server']);
    for (const target of Object.values(pkg.bin) as string[]) expect(files).toContain(target);
    for (const [entry, target] of Object.entries(pkg.exports) as [string, string | Record<string, string>][]) {
      for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
        const pattern = new RegExp(`^${file.slice(2).replace(/[.]/g, '\\.').replace('*', '[^/]+')}$`);
        expect(
          files.some((f) => pattern.test(f)),
          `${entry} -> ${file}`,
        ).toBe(true);
      }
    }
  });
});

describe('a consumer project', () => {
  test(
    'plain Node ESM imports every entry point; a run against the reference server passes, one against a fault fails',
    () => {
      const out = JSON.parse(
        ok(run(process.execPath, ['use.mjs'], project), 'node use.mjs')
          .trim()
          .split('\n')
          .pop()!,
      );
      expect(out.tool).toEqual({ name: pkg.name, version: pkg.version });
      expect(out.version).toBe(pkg.version);
      expect(out.outcomes).toContain('passed');
      expect(out.exchangesOf).toBe('function');
      expect(out.schemaNames).toContain('RequestBody');
      expect(out.rules).toBeGreaterThan(100);
      expect(out.emptyBodyViolations).toContain('table3.force_sync.type');
      expect(out.openapi).toMatch(/^3\.1/);
      expect(out.reportSchema).toBeTruthy();
      expect(out.conformant).toMatchObject({ exitCode: 0, verdict: 'conformant' });
      for (const f of out.conformant.files) expect(existsSync(f)).toBe(true);
      expect(out.faulty).toMatchObject({ exitCode: 1, verdict: 'not_conformant' });
      expect(out.faulty.failedRules).toContain(out.faulty.rule);
    },
    LONG,
  );

  test(
    'a consumer file type-checks under the tsconfig `tsc --init` writes (and its @ts-expect-error lines are used)',
    () => {
      ok(run(join(project, 'node_modules', '.bin', 'tsc'), ['--init'], project), 'tsc --init');
      const config = readFileSync(join(project, 'tsconfig.json'), 'utf8');
      expect(config).toMatch(/^\s*"strict": true/m);
      const check = (...extra: string[]) =>
        run(join(project, 'node_modules', '.bin', 'tsc'), ['--noEmit', ...extra], project);
      const plain = check();
      expect(plain.stdout + plain.stderr).toBe('');
      expect(plain.status).toBe(0);
      // Stricter than the default: the package's own .d.ts files checked too, with Node's types.
      const deep = check('--skipLibCheck', 'false', '--types', 'node');
      expect(deep.stdout + deep.stderr).toBe('');
      expect(deep.status).toBe(0);
    },
    LONG,
  );

  test(
    "the README's vitest example runs as it is printed, from the installed package",
    () => {
      const readme = readFileSync(join(root, 'README.md'), 'utf8');
      const example = /```ts\n\/\/ conformance\.test\.ts\n([\s\S]*?)```/.exec(readme);
      expect(example, 'the README has the example').not.toBeNull();
      writeFileSync(join(project, 'conformance.test.ts'), example![1]);
      const r = run(
        process.execPath,
        [join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'conformance.test.ts'],
        project,
      );
      expect(r.stdout + r.stderr).toMatch(/1 passed/);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(existsSync(join(project, 'reports', 'conformance', 'conformance.json'))).toBe(true);
    },
    LONG,
  );

  test(
    'npx runs both bins: the reference server, then the suite against it, reports and a JSON summary',
    async () => {
      const npx = (args: string[]) => run('npx', ['--offline', '--no-install', ...args], project);
      expect(ok(npx(['roma-vpc-sync-conformance', '--version']), '--version').trim()).toBe(
        `${pkg.name} ${pkg.version}`,
      );
      expect(ok(npx(['roma-vpc-sync-reference-server', '--help']), 'server --help')).toMatch(/--fault NAME/);
      const server = spawn('npx', ['--offline', '--no-install', 'roma-vpc-sync-reference-server', '--port', '0'], {
        cwd: project,
        detached: true,
      });
      try {
        const first = await new Promise<string>((resolve, reject) => {
          createInterface({ input: server.stdout }).once('line', resolve);
          server.once('exit', (code) => reject(new Error(`the server exited ${code}`)));
        });
        const { url, fixtures } = JSON.parse(first);
        const r = npx([
          'roma-vpc-sync-conformance',
          ...['--base-url', url, '--token', fixtures.token, '--project-id', fixtures.projectId],
          ...['--vpc-channel-id', fixtures.vpcChannelIds[0], '--instance-ids', fixtures.instanceIds.join(',')],
          ...['--forbidden-token', fixtures.forbiddenToken, '--report-dir', 'out/npx', '--format', 'json'],
        ]);
        expect(r.status, r.stderr).toBe(0);
        const summary = JSON.parse(r.stdout);
        expect(summary).toMatchObject({ verdict: 'conformant', exitCode: 0 });
        const report = JSON.parse(readFileSync(join(project, 'out', 'npx', 'conformance.json'), 'utf8'));
        const page = readFileSync(join(project, 'node_modules', pkg.name, 'spec', 'page.txt'));
        expect(report.pageSha256).toBe(createHash('sha256').update(page).digest('hex'));
        expect(report.tool).toEqual({ name: pkg.name, version: pkg.version });
        expect(report.summary.passed).toBeGreaterThan(40);
      } finally {
        process.kill(-server.pid!, 'SIGTERM');
      }
    },
    LONG,
  );
});
