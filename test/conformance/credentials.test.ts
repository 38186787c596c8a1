// The credential modes end to end on loopback (the CLI in a child process, the reference server in
// this one): AK/SK signing with its own auth cases, IAM logins (a wrong password, a token that dies
// mid-run), one mode per run, and no secret of any mode in any output.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import type { RunReport } from '../../reports/model.ts';
import { DEFAULT_FIXTURES, startReferenceServer, type ReferenceServerOptions } from '../../server/index.ts';
import { RENEWED_NOTE } from '../../suites/engine/run-case.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fx = DEFAULT_FIXTURES;

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'conformance.js'), ...args], {
      cwd: root,
      env: { ...process.env, ...env, CI: 'true' },
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
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'conformance-cred-'));
  dirs.push(d);
  return d;
};
const report = (dir: string) => JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as RunReport;
const everything = (dir: string, out: string) =>
  ['conformance.json', 'junit.xml', 'conformance.md', 'conformance.html']
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n') + out;

/** Runs the CLI against a reference server started with `options`. */
async function against(options: ReferenceServerOptions, flags: string[], dir = tmp()) {
  const server = await startReferenceServer(options);
  try {
    const args = [
      '--base-url',
      server.url,
      '--project-id',
      fx.projectId,
      '--vpc-channel-id',
      fx.vpcChannelIds[0],
      '--instance-ids',
      fx.instanceIds.join(','),
      '--report-dir',
      dir,
      ...flags,
    ];
    const r = await cli(args.map((a) => a.replace('{url}', server.url)));
    return { ...r, dir, logins: server.iamLogins() };
  } finally {
    await server.close();
  }
}

const AKSK = [
  '--ak',
  fx.accessKey.ak,
  '--sk',
  fx.accessKey.sk,
  '--forbidden-ak',
  fx.forbiddenAccessKey.ak,
  '--forbidden-sk',
  fx.forbiddenAccessKey.sk,
];

describe('AK/SK', () => {
  test('every request signed: conformant, with the two signing cases, and no SK or signature in any output', async () => {
    const r = await against({}, AKSK);
    expect(r.code, r.out).toBe(0);
    const rep = report(r.dir);
    const byId = new Map(rep.cases.map((c) => [c.id, c]));
    for (const id of ['auth.aksk.tampered-body', 'auth.aksk.skewed-date', 'auth.forbidden-token', 'auth.missing-token'])
      expect(byId.get(id)?.outcome, id).toBe('passed');
    expect(byId.get('auth.aksk.tampered-body')!.rule.table).toMatch(/AK\/SK signing/);
    expect(byId.get('auth.missing-token')!.description).toMatch(/unsigned request/);
    // The token rules are worded for the signature that stands in for the token.
    for (const id of ['auth.missing-token', 'auth.unknown-token', 'auth.forbidden-token'])
      expect(byId.get(id)!.rule, id).toMatchObject({ parameter: 'Authorization (SDK-HMAC-SHA256)', text: /signature/ });
    const valid = rep.cases.find((c) => c.suite === 'positive' && c.outcome === 'passed')!;
    expect(valid.request!.headers.Authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=REFAK\w+, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=\[REDACTED\]$/,
    );
    expect(valid.request!.headers['X-Auth-Token']).toBeUndefined();
    expect(valid.curl).toMatch(
      /^npx roma-vpc-sync-conformance --base-url '.+' --project-id '.+' .*--ak "\$AK" --sk "\$SK"/,
    );
    expect(valid.curl).toContain(`--case '${valid.id}'`);
    const all = everything(r.dir, r.out);
    for (const secret of [fx.accessKey.sk, fx.forbiddenAccessKey.sk]) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/Signature=[0-9a-f]{64}/);
  });

  test('a server that ignores signatures fails through the signing rules', async () => {
    const r = await against({ fault: 'auth-ignored' }, AKSK);
    expect(r.code, r.out).toBe(1);
    const failed = report(r.dir)
      .cases.filter((c) => c.outcome === 'failed')
      .map((c) => c.id);
    expect(failed).toEqual(expect.arrayContaining(['auth.aksk.tampered-body', 'auth.aksk.skewed-date']));
  });

  test('a wrong SK: exit 2, "check the AK/SK and this machine\'s clock", the SK nowhere', async () => {
    const r = await against({}, ['--ak', fx.accessKey.ak, '--sk', 'wrong-secret-key-123']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/check the AK\/SK and this machine's clock/);
    expect(r.out).not.toContain('wrong-secret-key-123');
  });

  test('temporary credentials: the security token is sent, signed, and never shown', async () => {
    const t = fx.temporaryAccessKey;
    const r = await against({}, ['--ak', t.ak, '--sk', t.sk, '--security-token', t.securityToken, '--case', 'auth.*']);
    expect(r.code, r.out).toBe(0);
    expect(everything(r.dir, r.out)).not.toContain(t.securityToken);
  });
});

describe('IAM', () => {
  const IAM = ['--iam-url', '{url}', '--iam-user', fx.iam.user, '--iam-domain', fx.iam.domain];

  test('a project-scoped token before the run: conformant, one login, no password or token in any output', async () => {
    const r = await against({}, [...IAM, '--iam-password', fx.iam.password]);
    expect(r.code, r.out).toBe(0);
    expect(r.logins).toBe(1);
    expect(report(r.dir).notes).not.toContain(RENEWED_NOTE);
    const all = everything(r.dir, r.out);
    expect(all).not.toContain(fx.iam.password);
    expect(all).not.toMatch(/ref-iam-token-/);
  });

  test('a wrong password: exit 2, nothing sent to the target, the password nowhere', async () => {
    const r = await against({}, [...IAM, '--iam-password', 'Wr0ng-Passw0rd!']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/IAM rejected the login \(401\)/);
    expect(r.out).not.toContain('Wr0ng-Passw0rd!');
    expect(r.logins).toBe(0);
  });

  test('a token rejected mid-run: logged in once more, the case sent again, the run goes on', async () => {
    const r = await against({ iamFirstTokenUses: 6 }, [...IAM, '--iam-password', fx.iam.password]);
    const bad = report(r.dir).cases.filter((c) => !['passed', 'skipped'].includes(c.outcome));
    expect(bad.map((c) => `${c.id}: ${c.outcome} ${c.failures.join(' | ')}`)).toEqual([]);
    expect(r.code, r.out).toBe(0);
    expect(r.logins).toBe(2);
    // The renewal shows: on the case sent again (its 7th request), and among the run's notes.
    const renewed = report(r.dir).cases.filter((c) => c.notes?.includes(RENEWED_NOTE));
    expect(renewed).toHaveLength(1);
    expect(report(r.dir).notes).toContain(RENEWED_NOTE);
    expect(everything(r.dir, r.out)).not.toMatch(/ref-iam-token-/);
  });
  test('a token rejected mid-run with 8 cases in flight: one login for them all, no token in any output', async () => {
    for (const uses of [20, 44]) {
      const flags = [...IAM, '--iam-password', fx.iam.password, '--concurrency', '8', '--allow-sync-all'];
      const r = await against({ iamFirstTokenUses: uses }, flags);
      const bad = report(r.dir).cases.filter((c) => !['passed', 'skipped'].includes(c.outcome));
      expect(bad.map((c) => `${c.id}: ${c.outcome} ${c.failures.join(' | ')}`)).toEqual([]);
      expect(r.code, r.out).toBe(0);
      expect(r.logins).toBe(2);
      const renewed = report(r.dir).cases.filter((c) => c.notes?.includes(RENEWED_NOTE));
      expect(renewed.length).toBeGreaterThanOrEqual(1);
      expect(renewed.length).toBeLessThanOrEqual(8); // the cases in flight when the token died, at most
      expect(everything(r.dir, r.out)).not.toMatch(/ref-iam-token-/);
    }
  });

  test('a token without permission serves the 403 case in IAM mode too', async () => {
    const flags = [...IAM, '--iam-password', fx.iam.password, '--forbidden-token', fx.forbiddenToken];
    const r = await against({}, [...flags, '--case', 'auth.forbidden-token']);
    expect(r.code, r.out).toBe(0);
    expect(report(r.dir).cases[0]).toMatchObject({ id: 'auth.forbidden-token', outcome: 'passed' });
    expect(everything(r.dir, r.out)).not.toContain(fx.forbiddenToken);
  });

  test('a new token the target rejects too: the run ends as could-not-judge, not as the API failing', async () => {
    const r = await against({ fault: 'token-expires' }, [...IAM, '--iam-password', fx.iam.password]);
    expect(r.code, r.out).toBe(2);
    expect(r.logins).toBe(2);
    expect(r.out).toMatch(/token expired or revoked/);
    expect(report(r.dir).cases.filter((c) => c.outcome === 'failed')).toEqual([]);
    expect(everything(r.dir, r.out)).not.toMatch(/ref-iam-token-/);
  });
});

describe('one credential mode per run', () => {
  test.each([
    [['--token', 'abcdefgh', '--ak', 'AK'], /choose one credential mode: got token and AK\/SK/],
    [['--iam-url', 'http://127.0.0.1:9', '--sk', 'x'], /choose one credential mode: got IAM and AK\/SK/],
    [['--ak', 'AK'], /AK\/SK mode needs --ak and --sk/],
    [['--iam-url', 'http://127.0.0.1:9', '--iam-user', 'u'], /IAM mode needs --iam-domain, --iam-password/],
    [['--forbidden-ak', 'A', '--ak', 'B', '--sk', 'C'], /--forbidden-ak and --forbidden-sk go together/],
  ])('%j is a usage error', async (flags, message) => {
    const r = await cli(['--base-url', 'http://127.0.0.1:9', '--project-id', 'p', ...(flags as string[])]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(message);
  });

  test('AK/SK without --base-url is a usage error (the embedded server brings its own fixtures)', async () => {
    const r = await cli(['--ak', 'A', '--sk', 'B']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/--ak needs --base-url/);
  });

  test('secrets from files and CONFORMANCE_* twins', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = join(tmp(), 'sk');
    writeFileSync(file, `${fx.accessKey.sk}\n`);
    const server = await startReferenceServer();
    try {
      const dir = tmp();
      const r = await cli(
        [
          '--base-url',
          server.url,
          '--project-id',
          fx.projectId,
          '--sk-file',
          file,
          '--case',
          'auth.*',
          '--report-dir',
          dir,
        ],
        { CONFORMANCE_AK: fx.accessKey.ak },
      );
      expect(r.code, r.out).toBe(0);
      expect(everything(dir, r.out)).not.toContain(fx.accessKey.sk);
    } finally {
      await server.close();
    }
  });
});
