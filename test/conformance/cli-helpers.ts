// Running the package bin as a user does (a child process), and reading what it wrote.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { RunReport } from '../../reports/model.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'conformance.js'), ...args], {
      cwd: root,
      env: { ...process.env, ...env, CI: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const made: string[] = [];
/** A temporary directory, removed after the file's tests. */
export const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-cli-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as RunReport;
export const readFile = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
export const allOutput = (dir: string, r: { stdout: string; stderr: string }) =>
  ['conformance.json', 'junit.xml', 'conformance.md'].map((f) => readFile(dir, f)).join('\n') + r.stdout + r.stderr;
