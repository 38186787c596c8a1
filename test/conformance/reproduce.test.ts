// Reproduce lines, as a user runs them: the tool's own line replays a variant of a fault run with
// the same outcome (it carries --examples and --fault), and it holds the run's non-secret flags
// with the credentials as placeholders.

import { execFile } from 'node:child_process';

import { describe, expect, test } from 'vitest';
import { TOOL_COMMAND } from '../../suites/engine/reproduce.ts';
import { runFlags } from '../../suites/run/reproduce.ts';
import type { ConformanceOptions } from '../../suites/run/options.ts';
import { cli, readFile, readReport, root, tmp } from './cli-helpers.ts';

/** Runs a printed line in bash, the package bin standing for the installed command. */
const inBash = (line: string, env: Record<string, string> = {}) =>
  new Promise<{ code: number; stderr: string }>((resolve) => {
    const local = line.replace(TOOL_COMMAND, `${JSON.stringify(process.execPath)} bin/conformance.js`);
    execFile('bash', ['-c', local], { cwd: root, env: { ...process.env, ...env, CI: 'true' } }, (e, _o, stderr) =>
      resolve({ code: e ? Number(e.code) : 0, stderr }),
    );
  });

const verdictOf = (c: { outcome: string; checks: { check: string; outcome: string; exchange?: number }[] }) => ({
  outcome: c.outcome,
  checks: c.checks.map((k) => `${k.check}:${k.outcome}:${k.exchange ?? ''}`).sort(),
});

describe('the tool reproduce line', () => {
  test("a failing variant's line from a --fault --examples run replays it with the same outcome", async () => {
    const dir = tmp();
    const run = await cli(['--fault', 'sync-first-n-instances', '--examples', '4', '--report-dir', dir]);
    expect(run.code, run.stderr).toBe(1);
    const report = readReport(dir);
    const variant = report.cases.find((c) => c.id.includes('.variant-') && c.outcome === 'failed');
    expect(variant, 'a failing variant').toBeDefined();
    const line = variant!.reproduce!;
    expect(line).toContain('--fault ');
    expect(line).toContain('--examples 4');
    expect(line).toContain('--seed 20231');
    expect(line).toContain(`--case '${variant!.id}'`);
    // The HTML report's "Or:" hint is the same line (escaped as HTML).
    const esc = line.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;');
    expect(readFile(dir, 'conformance.html')).toContain(`Or: <code>${esc}</code>`);

    const again = tmp();
    const r = await inBash(`${line} --report-dir ${JSON.stringify(again)}`);
    expect(r.code, r.stderr).toBe(1);
    const replayed = readReport(again).cases;
    expect(replayed.map((c) => c.id)).toEqual([variant!.id]);
    expect(verdictOf(replayed[0])).toEqual(verdictOf(variant!));
    expect(replayed[0].failures).toEqual(variant!.failures);
  });

  test('a remote run: every non-secret flag that shapes the cases, credentials and secret headers as placeholders', () => {
    const o: ConformanceOptions = {
      baseUrl: 'https://api.example.test/prefix',
      token: 'tok-hush',
      forbiddenToken: 'forbidden-hush',
      projectId: 'p1',
      vpcChannelIds: ['c1', 'c2'],
      instanceIds: ['i1'],
      seed: 7,
      examples: 3,
      stressRepeats: 2,
      timeoutMs: 2500,
      waivers: [],
      reportDir: 'x',
      progress: 'silent',
      log: () => {},
      noSync: true,
      network: {
        proxy: 'http://user:pw-hush@proxy.test:3128',
        tls: { ca: '-----BEGIN CERTIFICATE-----', insecure: undefined },
        headers: [['X-Trace', "it's on"]],
        secretHeaders: [['X-Api-Key', 'key-hush']],
        rateLimit: { count: 5, perMs: 1000 },
      },
    };
    const flags = runFlags(o);
    expect(flags).not.toMatch(/hush|BEGIN/);
    for (const part of [
      "--base-url 'https://api.example.test/prefix'",
      "--project-id 'p1'",
      '--token "$TOKEN"',
      '--forbidden-token "$FORBIDDEN_TOKEN"',
      '--ca "$CA_FILE"',
      `--header 'X-Trace: it'\\''s on'`,
      '--secret-header "X-Api-Key: $SECRET_HEADER_X_API_KEY"',
      '--rate-limit 5/s',
      "--vpc-channel-id 'c1,c2'",
      "--instance-ids 'i1'",
      '--no-sync',
      '--seed 7',
      '--examples 3',
      '--repeat 2',
      '--timeout-ms 2500',
    ])
      expect(flags).toContain(part);
    expect(flags).toMatch(/--proxy 'http:\/\/[^']*proxy\.test:3128'/);
    const aksk = runFlags({
      ...o,
      token: undefined,
      forbiddenToken: undefined,
      aksk: { key: { ak: 'AK1', sk: 'sk-hush' } },
    });
    expect(aksk).toContain('--ak "$AK" --sk "$SK"');
    expect(aksk).not.toMatch(/hush|AK1/);
    const iam = runFlags({
      ...o,
      token: undefined,
      forbiddenToken: undefined,
      iam: { url: 'https://iam.test', user: 'u', password: 'pw-hush', domain: 'd' },
    });
    expect(iam).toContain(
      `--iam-url 'https://iam.test' --iam-user 'u' --iam-password "$IAM_PASSWORD" --iam-domain 'd'`,
    );
    expect(iam).not.toContain('hush');
    expect(runFlags({ ...o, allowShortSecrets: true })).toContain(' --allow-short-secrets ');
    expect(runFlags(o)).not.toContain('--allow-short-secrets');
  });

  test('an embedded run: its fault and harmless switches; the defaults left out', () => {
    const base: ConformanceOptions = {
      seed: 1,
      timeoutMs: 10_000,
      waivers: [],
      reportDir: 'x',
      progress: 'silent',
      log: () => {},
    };
    expect(runFlags(base)).toBe('--seed 1');
    expect(runFlags({ ...base, fault: 'hang', harmless: ['slow-answers', 'connection-close'] })).toBe(
      "--fault 'hang' --harmless 'slow-answers' --harmless 'connection-close' --seed 1",
    );
  });
});
