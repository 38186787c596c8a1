// The CLI as a child process: --list-faults, usage errors (exit 2, one stderr line), and a real start.

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAULTS, HARMLESS } from '../../server/index.ts';
import { asResponse, authed, routeOf, send } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function start(args: string[]): ChildProcess {
  // `--import tsx` (resolved from the repo root) is what `tsx server/cli.ts` does, minus the extra process.
  return spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = start(args);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        child.stdout!.off('data', onData);
        resolve(buf.slice(0, nl));
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code} before printing`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

describe('cli', () => {
  it('--list-faults prints every fault as JSON and exits 0', async () => {
    const { code, stdout } = await run(['--list-faults']);
    expect(code).toBe(0);
    const list = JSON.parse(stdout);
    expect(list).toEqual(FAULTS.map((f) => ({ ...f })));
    for (const f of list) expect(Object.keys(f).sort()).toEqual(['description', 'name', 'ruleId', 'table']);
  }, 15_000);

  it('--list-harmless prints every harmless switch as JSON and exits 0', async () => {
    const { code, stdout } = await run(['--list-harmless']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(HARMLESS.map((h) => ({ ...h })));
  }, 15_000);

  it('--help exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--fault NAME/);
  }, 15_000);

  it.each([
    ['an unknown flag', ['--bogus'], /bogus/],
    ['an unknown fault', ['--fault', 'no-such-fault'], /unknown fault "no-such-fault"/],
    ['an unknown harmless switch', ['--harmless', 'nope'], /unknown harmless switch "nope"/],
    ['a bad port', ['--port', 'eighty'], /invalid --port/],
    ['a port out of range', ['--port', '70000'], /invalid --port/],
    ['a positional argument', ['extra'], /extra/],
  ])(
    '%s: exit 2 with one stderr line',
    async (_n, args, message) => {
      const { code, stderr, stdout } = await run(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
    },
    15_000,
  );

  it('a port in use: exit 2 with one stderr line', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as { port: number };
    try {
      const { code, stderr } = await run(['--port', String(port)]);
      expect(code).toBe(2);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/already in use/);
    } finally {
      blocker.close();
    }
  }, 15_000);

  it('--port 0: JSON first line, serves, logs without the token, stops on SIGTERM', async () => {
    const child = start(['--port', '0']);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    try {
      const info = JSON.parse(await firstLine(child));
      expect(Object.keys(info).sort()).toEqual(['fixtures', 'url']);
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.fixtures.projectId).toBe('5a3314075bfa49b9ae360f4ecd333695');
      const o = await send(info.url, { path: routeOf(info), headers: authed(info), body: '{}' });
      expect(asResponse(o).status).toBe(201);
      await new Promise((r) => setTimeout(r, 100));
      expect(stderr).toMatch(
        /^POST \/v2\/5a3314075bfa49b9ae360f4ecd333695\/apic\/vpc-channels\/syncs 201 \d+(\.\d+)?ms$/m,
      );
      expect(stderr).not.toContain(info.fixtures.token);
      const code = exited(child);
      child.kill('SIGTERM');
      expect(await code).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 15_000);

  it('--fault hang: SIGINT still closes promptly with a hung request open', async () => {
    const child = start(['--port', '0', '--fault', 'hang']);
    try {
      const info = JSON.parse(await firstLine(child));
      const pending = send(info.url, { path: routeOf(info), headers: authed(info), body: '{}', timeoutMs: 5_000 });
      await new Promise((r) => setTimeout(r, 200));
      const code = exited(child);
      const t0 = Date.now();
      child.kill('SIGINT');
      expect(await code).toBe(0);
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect((await pending).kind).toBe('error');
    } finally {
      child.kill('SIGKILL');
    }
  }, 15_000);
});
