// --concurrency N end to end: the same records and reports as a sequential run apart from timings,
// at most N requests in flight (a counting front), and the breaker's verdicts unchanged.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { stripTimings } from '../../reports/json.ts';
import type { RunReport } from '../../reports/model.ts';
import { DEFAULT_FIXTURES, startReferenceServer, type ReferenceServerOptions } from '../../server/index.ts';
import { recordingFront } from '../engine/fronts.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fx = DEFAULT_FIXTURES;

function cli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'conformance.js'), ...args], {
      cwd: root,
      env: { ...process.env, CI: 'true' },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A run against a fresh reference server behind a counting front; the report with its addresses and dates made neutral. */
async function run(concurrency: number, options: ReferenceServerOptions = {}, extra: string[] = []) {
  const server = await startReferenceServer(options);
  const front = await recordingFront(server.url);
  const dir = mkdtempSync(join(tmpdir(), 'conformance-par-'));
  dirs.push(dir);
  try {
    const r = await cli([
      '--base-url',
      front.url,
      '--token',
      fx.token,
      '--forbidden-token',
      fx.forbiddenToken,
      '--project-id',
      fx.projectId,
      '--vpc-channel-id',
      fx.vpcChannelIds[0],
      '--instance-ids',
      fx.instanceIds.join(','),
      '--repeat',
      '30',
      '--concurrency',
      String(concurrency),
      '--report-dir',
      dir,
      '--timeout-ms',
      '1500',
      ...extra,
    ]);
    const text = readFileSync(join(dir, 'conformance.json'), 'utf8')
      .replaceAll(front.url, 'http://FRONT')
      .replaceAll(new URL(front.url).host, 'FRONT')
      .replace(/"date": "[^"]*"/g, '"date": "-"');
    const report = stripTimings(JSON.parse(text) as RunReport) as RunReport;
    return { ...r, report, maxInFlight: front.inFlight.max, requests: front.received.length };
  } finally {
    await front.close();
    await server.close();
  }
}

describe('--concurrency', () => {
  test('4 and 16 give the records and the report of a sequential run; at most N requests in flight', async () => {
    const slow: ReferenceServerOptions = { harmless: ['slow-answers'] };
    const one = await run(1, slow);
    expect(one.code, one.out).toBe(0);
    expect(one.maxInFlight).toBe(1);
    for (const n of [4, 16]) {
      const par = await run(n, slow);
      expect(par.code, par.out).toBe(0);
      expect(par.report).toEqual(one.report);
      expect(par.requests).toBe(one.requests);
      expect(par.maxInFlight).toBeLessThanOrEqual(n);
      expect(par.maxInFlight).toBeGreaterThan(1);
    }
  });

  test('the breaker gives the same verdicts: a target that hangs ends the run the same way at 1 and at 8', async () => {
    const one = await run(1, { fault: 'hang' }, ['--timeout-ms', '300']);
    const par = await run(8, { fault: 'hang' }, ['--timeout-ms', '300']);
    expect(par.code).toBe(one.code);
    const outcomes = (r: RunReport) => r.cases.map((c) => `${c.id}: ${c.outcome} ${c.reason ?? ''}`);
    expect(outcomes(par.report)).toEqual(outcomes(one.report));
    expect(par.report.summary).toEqual(one.report.summary);
  });

  test('timeouts confined to one kind of request fail those cases at 1 and at 8 alike; the others run', async () => {
    const one = await run(1, { fault: 'hang-on-force-sync' }, ['--timeout-ms', '300']);
    const par = await run(8, { fault: 'hang-on-force-sync' }, ['--timeout-ms', '300']);
    const outcomes = (r: RunReport) => r.cases.map((c) => `${c.id}: ${c.outcome} ${c.reason ?? ''}`);
    expect(outcomes(par.report)).toEqual(outcomes(one.report));
    expect(par.code).toBe(one.code);
    expect(one.report.summary.timeout).toBeGreaterThan(3);
    expect(one.report.summary.not_run).toBe(0);
    expect(one.report.cases.filter((c) => c.suite === 'auth').every((c) => c.outcome === 'passed')).toBe(true);
  });

  test('--concurrency 0 is a usage error', async () => {
    const r = await cli(['--concurrency', '0']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/--concurrency must be a whole number >= 1/);
  });
});
