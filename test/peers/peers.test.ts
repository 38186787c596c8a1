// Other API tools use the OpenAPI export unchanged: Prism's mock serves only answers that pass the
// exported schemas, Prism's validating proxy finds the reference server clean, and Dredd and Specmatic
// run the export against the reference server with no failure. Each is also run against a server with a
// fault switch, to show that it can fail. The tools live in test/peers (their own package.json and lock,
// never the package's dependencies): `.ci/run` installs them; without them these tests skip and say why.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunReport } from '../../reports/model.ts';
import { operation, rules, validateResponseBody } from '../../schemas/index.ts';
import { type FaultName, type ReferenceServer, startReferenceServer } from '../../server/index.ts';
import { runConformance } from '../../suites/run.ts';

const here = fileURLToPath(new URL('./', import.meta.url));
const bin = (tool: string) => join(here, 'node_modules', '.bin', tool);
const OPENAPI = fileURLToPath(new URL('../../schemas/generated/openapi.json', import.meta.url));
const OPENAPI_30 = fileURLToPath(new URL('../../schemas/generated/openapi-3.0.json', import.meta.url));
const installed = ['prism', 'dredd', 'specmatic'].every((t) => existsSync(bin(t)));
if (!installed) console.warn('peers.test: test/peers is not installed (npm ci --prefix test/peers); skipped');

const LONG = 300_000;
const children: ChildProcess[] = [];
const dirs: string[] = [];
const servers: ReferenceServer[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Runs a tool to its end: exit code and everything it printed. */
function run(tool: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = here) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    const child = spawn(bin(tool), args, { cwd, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    // The tools colour their output.
    child.on('close', (code) => resolve({ code: code ?? -1, out: out.replace(/\x1b\[[0-9;]*m/g, '') }));
  });
}

/** Starts a long-running tool and waits for the line that says it listens. */
function start(tool: string, args: string[], ready: RegExp): Promise<{ log: () => string }> {
  const child = spawn(bin(tool), args, { cwd: here, detached: true });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const seen = (d: Buffer) => {
      out += d;
      if (ready.test(out)) resolve({ log: () => out });
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code) => reject(new Error(`${tool} exited ${code}:\n${out}`)));
  });
}

const reference = async (fault?: FaultName) => {
  const s = await startReferenceServer(fault ? { fault } : {});
  servers.push(s);
  return s;
};
const route = (base: string, s: ReferenceServer) =>
  `${base}${operation.path.replace('{project_id}', s.fixtures.projectId)}`;

afterAll(async () => {
  for (const c of children) if (c.pid && c.exitCode === null) process.kill(-c.pid, 'SIGTERM');
  for (const s of servers) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!installed)('Prism', () => {
  let plain: ReferenceServer;
  beforeAll(async () => {
    plain = await reference();
  });

  // Rules JSON Schema cannot state (the document names them): a generator that reads only the schema
  // cannot keep them, so answers generated from the schema alone (prism mock -d) may break only these.
  const notExpressible = new Set(rules.filter((r) => r.expr && r.expr.op !== 'requiredIf').map((r) => r.id));

  test(
    'mock serves the named examples, each passing the exported schemas; generated answers break only what JSON Schema cannot state',
    async () => {
      const [port, dynamicPort] = [await freePort(), await freePort()];
      await start('prism', ['mock', '-h', '127.0.0.1', '-p', String(port), OPENAPI], /listening on/);
      await start('prism', ['mock', '-d', '-h', '127.0.0.1', '-p', String(dynamicPort), OPENAPI], /listening on/);
      const post = async (base: string, prefer: string) => {
        const r = await fetch(route(base, plain), {
          method: 'POST',
          headers: { 'X-Auth-Token': plain.fixtures.token, 'Content-Type': 'application/json', Prefer: prefer },
          body: JSON.stringify({ vpc_channel_id: plain.fixtures.vpcChannelIds[0] }),
        });
        return { status: r.status, body: await r.json() };
      };
      const responses = operation.statusCodes.map((s) => s.status);
      const doc = (await import('../../schemas/generated/openapi.json', { with: { type: 'json' } })).default as any;
      for (const status of responses) {
        for (const name of Object.keys(
          doc.paths[operation.path].post.responses[status].content['application/json'].examples,
        )) {
          const r = await post(`http://127.0.0.1:${port}`, `code=${status}, example=${name}`);
          expect(r.status).toBe(status);
          expect(validateResponseBody(status, r.body), `${status} ${name}`).toEqual([]);
        }
      }
      const broken = new Map<string, number>();
      let entries = 0;
      for (let i = 0; i < 15; i++)
        for (const status of responses) {
          const r = await post(`http://127.0.0.1:${dynamicPort}`, `code=${status}`);
          expect(r.status).toBe(status);
          if (status === 201) entries += r.body.project_vpc_channels.length;
          for (const v of validateResponseBody(status, r.body)) broken.set(v.ruleId, (broken.get(v.ruleId) ?? 0) + 1);
        }
      expect(entries).toBeGreaterThan(0); // generated answers with entries (names, patterns, conditions) were judged
      expect([...broken.keys()].filter((id) => !notExpressible.has(id))).toEqual([]);
    },
    LONG,
  );

  test(
    'proxy --errors validates the reference server clean through the suite; a fault turns into its errors',
    async () => {
      const faulty = await reference('t8-path-missing');
      const [port, faultyPort] = [await freePort(), await freePort()];
      const clean = await start(
        'prism',
        ['proxy', '-h', '127.0.0.1', '-p', String(port), '--errors', OPENAPI, plain.url],
        /listening on/,
      );
      const caught = await start(
        'prism',
        ['proxy', '-h', '127.0.0.1', '-p', String(faultyPort), '--errors', OPENAPI, faulty.url],
        /listening on/,
      );
      const through = (p: number, s: ReferenceServer) => {
        const dir = mkdtempSync(join(tmpdir(), 'conformance-prism-'));
        dirs.push(dir);
        return runConformance({
          baseUrl: `http://127.0.0.1:${p}`,
          token: s.fixtures.token,
          projectId: s.fixtures.projectId,
          vpcChannelIds: [...s.fixtures.vpcChannelIds],
          instanceIds: [...s.fixtures.instanceIds],
          caseIds: ['positive.*'],
          reportDir: dir,
        });
      };
      const ok = await through(port, plain);
      expect(ok.report?.summary.passed).toBeGreaterThan(10);
      expect(ok.exitCode, JSON.stringify(ok.report?.summary)).toBe(0);
      expect(clean.log()).toMatch(/Forwarding/);
      expect(clean.log()).not.toMatch(/VIOLATIONS/);
      // Prism answers 500 where the upstream answer breaks the export, naming the violations in a header.
      const bad = await through(faultyPort, faulty);
      expect(bad.exitCode).toBe(1);
      expect(caught.log()).toMatch(/VIOLATIONS/);
      const report = JSON.parse(readFileSync(join(bad.files[0]), 'utf8')) as RunReport;
      const named = report.cases.flatMap((c) => String(c.response?.headers?.['sl-violations'] ?? ''));
      expect(named.join('\n')).toMatch(/vpc_health_config must have required property 'path'/);
    },
    LONG,
  );
});

describe.skipIf(!installed)('Dredd', () => {
  const dredd = (s: ReferenceServer) =>
    run('dredd', [OPENAPI_30, s.url, '--hookfiles', join(here, 'dredd-hooks.cjs')], {
      FORBIDDEN_TOKEN: s.fixtures.forbiddenToken,
    });

  test(
    'runs the export against the reference server: every documented status it can provoke passes',
    async () => {
      const r = await dredd(await reference());
      expect(r.out).toMatch(/complete: 4 passing, 0 failing, 0 errors, 1 skipped, 5 total/);
      expect(r.code, r.out).toBe(0);
    },
    LONG,
  );

  test(
    'fails a server whose 201 lacks a required field',
    async () => {
      const r = await dredd(await reference('t5-missing-name'));
      expect(r.out).toMatch(/fail: POST \(201\)/);
      expect(r.code).not.toBe(0);
    },
    LONG,
  );
});

describe.skipIf(!installed)('Specmatic', () => {
  const specmatic = (s: ReferenceServer) => {
    const cwd = mkdtempSync(join(tmpdir(), 'conformance-specmatic-')); // it writes build/reports there
    dirs.push(cwd);
    return run('specmatic', ['test', OPENAPI, '--testBaseURL', s.url], {}, cwd);
  };

  test(
    'runs every named scenario of the export against the reference server with no failure',
    async () => {
      const r = await specmatic(await reference());
      expect(r.out).toMatch(/Tests run: 4, Successes: 4, Failures: 0, WIP: 0, Errors: 0/);
      expect(r.code, r.out).toBe(0);
    },
    LONG,
  );

  test(
    'fails a server whose 201 breaks a Table 5 maximum',
    async () => {
      const r = await specmatic(await reference('t5-port-out-of-range'));
      // Specmatic 2's npm launcher exits 0 even then (measured): its summary line is the verdict.
      expect(r.out).toMatch(/Tests run: 4, Successes: 3, Failures: 1/);
      expect(r.out).toMatch(/project_vpc_channels\[0\]\.port[\s\S]*R1003: Constraint violation/);
    },
    LONG,
  );
});
