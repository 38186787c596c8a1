// Safe and honest runs against a real endpoint, end to end: the bin against the reference server (in
// this process, so its sync log shows what a run really synchronized), with the fault and harmless
// switches that break or vary what each behaviour guards against.

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  DEFAULT_FIXTURES as fx,
  startReferenceServer,
  type FaultName,
  type HarmlessName,
  type ReferenceServer,
} from '../../server/index.ts';
import { allOutput, cli, readFile, readReport, root, tmp } from './cli-helpers.ts';

const servers: ReferenceServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(o: { fault?: FaultName; harmless?: HarmlessName[] } = {}): Promise<ReferenceServer> {
  const s = await startReferenceServer({ port: 0, fault: o.fault ?? null, harmless: o.harmless, log: () => {} });
  servers.push(s);
  return s;
}
/** A mock that answers every request 201 with an empty list, whatever its credentials: what some stubs do. */
async function yesServer(): Promise<ReferenceServer> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end('{"project_vpc_channels":[]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const s: ReferenceServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fixtures: { ...fx, vpcChannelIds: [...fx.vpcChannelIds], instanceIds: [...fx.instanceIds] },
    syncLog: () => [],
    iamLogins: () => 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  servers.push(s);
  return s;
}
/** The flags the README once called required, and nothing else. */
const minimal = (s: ReferenceServer) => ['--base-url', s.url, '--token', fx.token, '--project-id', fx.projectId];
const ids = ['--vpc-channel-id', fx.vpcChannelIds[0], '--instance-ids', fx.instanceIds.slice(0, 2).join(',')];
/** Every (channel, instance) pair the server synchronized. */
const pairs = (s: ReferenceServer) =>
  s.syncLog().flatMap((r) => r.vpcChannelIds.flatMap((c) => r.instanceIds.map((i) => `${c}/${i}`)));
const sentRecords = (dir: string) => readReport(dir).cases.filter((c) => c.request);

describe('a minimal configuration (--base-url, --token, --project-id)', () => {
  test('sends negative and auth cases with made-up ids, synchronizes nothing, and says what it covered', async () => {
    const s = await serve();
    const dir = tmp();
    const r = await cli([...minimal(s), '--report-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(pairs(s)).toEqual([]);
    const rep = readReport(dir);
    expect(rep.cases.filter((c) => c.suite === 'auth' && c.outcome === 'passed').length).toBe(4);
    expect(r.stderr).toMatch(new RegExp(`^conformant on ${rep.judged} of ${rep.summary.total} cases:`, 'm'));
    expect(r.stderr).toMatch(
      /skipped: positive and sync cases need real ids .*\(give --vpc-channel-id and --instance-ids\)/,
    );
    expect(r.stderr).toMatch(
      /skipped: would synchronize channels or instances you did not name .*give --allow-sync-all/,
    );
    expect(r.stderr).toMatch(/skipped: 403 not tested: .*\(give --forbidden-token\)/);
    const md = readFile(dir, 'conformance.md');
    expect(md).toContain(`**Verdict: conformant on ${rep.judged} of ${rep.summary.total} cases.**`);
    expect(md).toMatch(/## Not tested \(\d+\)/);
    expect(md).toContain('To test them: give --forbidden-token.');
    expect(md).toContain('No answer reported a synchronization');
  });
  test('catches a server that answers 201 to a missing or unknown token (exit 1), where it once said "conformant"', async () => {
    const dir = tmp();
    const r = await cli([...minimal(await yesServer()), '--report-dir', dir]);
    expect(r.code, r.stderr).toBe(1);
    const auth = readReport(dir).cases.filter((c) => c.id === 'auth.missing-token' || c.id === 'auth.unknown-token');
    expect(auth.map((c) => c.outcome)).toEqual(['failed', 'failed']);
  });
  test('a server that ignores the token but refuses the made-up ids: a warning that says how to tell', async () => {
    const dir = tmp();
    const r = await cli([...minimal(await serve({ fault: 'auth-ignored' })), '--report-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    const missing = readReport(dir).cases.find((c) => c.id === 'auth.missing-token')!;
    expect(missing.outcome).toBe('warning');
    expect(missing.failures.join(' ')).toMatch(/or the credentials were not checked at all.*--vpc-channel-id/);
  });
  test('with real ids the same server fails: the body was valid, so the 400 cannot be the body read first', async () => {
    const r = await cli([...minimal(await serve({ fault: 'auth-ignored' })), ...ids, '--report-dir', tmp()]);
    expect(r.code).toBe(1);
  });
  test('--allow-sync-all sends the sync-all bodies, and the report lists every pair they synchronized', async () => {
    const s = await serve();
    const dir = tmp();
    const r = await cli([...minimal(s), '--allow-sync-all', '--report-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    const all = fx.vpcChannelIds.length * fx.instanceIds.length;
    expect(new Set(pairs(s)).size).toBe(all); // `{}` synchronizes every channel to every instance
    const rep = readReport(dir);
    expect(rep.sideEffects.pairs).toHaveLength(all);
    expect(rep.sideEffects.pairs.every((p) => !p.named)).toBe(true); // the user named none of them
    expect(readFile(dir, 'conformance.md')).toMatch(
      /## Side effects\n\n2xx answers reported 9 \(channel, instance\) pairs/,
    );
  });
});

describe('consent before side effects', () => {
  test('--no-sync (here as CONFORMANCE_NO_SYNC=1) sends only cases a conformant server must refuse: nothing is synchronized', async () => {
    const s = await serve();
    const dir = tmp();
    const r = await cli([...minimal(s), ...ids, '--report-dir', dir], { CONFORMANCE_NO_SYNC: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(pairs(s)).toEqual([]);
    const sent = sentRecords(dir);
    expect(sent.length).toBeGreaterThan(20);
    expect(sent.filter((c) => c.effect !== 'none').map((c) => c.id)).toEqual([]);
    expect(readReport(dir).cases.find((c) => c.id === 'robustness.unknown-fields')?.reason).toMatch(/^--no-sync/);
  });
  test('--no-sync against a lenient server: the cases it carried out fail, and the side effects say what it synchronized', async () => {
    const s = await serve({ fault: 'lenient-wrong-type' });
    const dir = tmp();
    const r = await cli([...minimal(s), ...ids, '--no-sync', '--report-dir', dir]);
    expect(r.code, r.stderr).toBe(1);
    const rep = readReport(dir);
    expect(rep.sideEffects.pairs.length).toBeGreaterThan(0);
    for (const p of rep.sideEffects.pairs) expect(pairs(s)).toContain(`${p.channel}/${p.instance}`);
    // A wrong-typed id field read as absent would mean "all": under --no-sync the other id field is made up.
    expect(pairs(s).filter((p) => !p.startsWith(`${fx.vpcChannelIds[0]}/`))).toEqual([]);
    expect(rep.sideEffects.pairs.filter((p) => !p.named)).toEqual([]);
    const carriedOut = rep.cases.filter((c) => c.synced?.length);
    expect(carriedOut.every((c) => c.outcome === 'failed' && c.effect === 'none')).toBe(true);
  });
  test('the preflight synchronizes nothing, even on a server that ignores a wrong-typed field', async () => {
    const s = await serve({ fault: 'lenient-wrong-type' });
    const dir = tmp();
    const r = await cli([...minimal(s), '--case', 'auth.missing-token', '--report-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(pairs(s)).toEqual([]); // the old body, {"instance_ids": "preflight"}, synchronized all nine pairs here
    expect(readReport(dir).preflight[0]).toMatchObject({ credential: 'token', status: 400 });
  });
});

describe('the preflight', () => {
  test('a 2xx to it is a warning at the top of every report and on the console', async () => {
    const dir = tmp();
    const r = await cli([...minimal(await serve({ fault: 'unknown-ids-accepted' })), '--report-dir', dir]);
    expect(r.code, r.stderr).toBe(1); // the not-found cases fail as well
    const rep = readReport(dir);
    expect(rep.preflight[0]).toMatchObject({ credential: 'token', status: 201 });
    expect(rep.warnings[0]).toMatch(/the token preflight was answered 201/);
    expect(readFile(dir, 'conformance.md')).toMatch(
      /\*\*Verdict:[^\n]*\n\n> \*\*Warning:\*\* the token preflight was answered 201/,
    );
    expect(readFile(dir, 'junit.xml')).toMatch(/<property name="warning" value="the token preflight was answered 201/);
    expect(r.stderr).toMatch(/^warning: the token preflight was answered 201/m);
  });
  test("a mistyped --forbidden-token (401 to its own preflight) skips the 403 case; it is not the API's failure", async () => {
    const dir = tmp();
    const s = await serve();
    const r = await cli([...minimal(s), ...ids, '--forbidden-token', 'not-a-known-token-123', '--report-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    const rep = readReport(dir);
    expect(rep.preflight.map((p) => [p.credential, p.status])).toEqual([
      ['token', 400],
      ['made-up-token', 401],
      ['forbidden-token', 401],
    ]);
    expect(rep.cases.find((c) => c.id === 'auth.forbidden-token')).toMatchObject({
      outcome: 'skipped',
      reason: 'the forbidden token was rejected as unknown (its preflight was answered 401)',
    });
    expect(allOutput(dir, r)).not.toContain('not-a-known-token-123');
  });
  test('a token without permission (403 to the preflight) ends the run before any case: exit 2', async () => {
    const s = await serve();
    const r = await cli([
      '--base-url',
      s.url,
      '--token',
      fx.forbiddenToken,
      '--project-id',
      fx.projectId,
      '--report-dir',
      tmp(),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the token has no permission/);
    expect(r.stderr).not.toContain(fx.forbiddenToken);
  });
});

describe('a verdict that says what it covered', () => {
  test('--fail-on-skip turns any skip into exit 2', async () => {
    const r = await cli([...minimal(await serve()), '--fail-on-skip', '--report-dir', tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/could not judge: \d+ case\(s\) skipped and --fail-on-skip is set/);
  });
  test('CONFORMANCE_FAIL_ON_SKIP=1 does the same', async () => {
    const r = await cli([...minimal(await serve()), '--report-dir', tmp()], { CONFORMANCE_FAIL_ON_SKIP: '1' });
    expect(r.code).toBe(2);
  });
  test('--fail-on-skip passes a run that skipped nothing', async () => {
    const sentWithMadeUpIds = ['negative.table*', 'negative.wire*', 'negative.not-found*'].flatMap((c) => [
      '--case',
      c,
    ]);
    const r = await cli([...minimal(await serve()), '--fail-on-skip', ...sentWithMadeUpIds, '--report-dir', tmp()]);
    expect(r.code, r.stderr).toBe(0);
  });
  test('a failure wins over a skip under --fail-on-skip (exit 1)', async () => {
    const r = await cli([...minimal(await yesServer()), '--fail-on-skip', '--report-dir', tmp()]);
    expect(r.code).toBe(1);
  });
});

describe('credentials and a dying target', () => {
  test('a token that expires mid-run ends it as could-not-judge (exit 2), the rest not run with the reason', async () => {
    const dir = tmp();
    const r = await cli(['--fault', 'token-expires', '--report-dir', dir]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/could not judge: the credential ended the run: token expired or revoked/);
    const rep = readReport(dir);
    expect(rep.summary.failed + rep.summary.timeout).toBe(0);
    expect(rep.summary.not_run).toBeGreaterThan(0);
    const md = readFile(dir, 'conformance.md');
    expect(md).toMatch(/> \*\*Warning:\*\* the credential ended the run/);
    expect(md).toMatch(/- \*\*\d+ not run\*\*: token expired or revoked/);
  });
  test('on a target that reads the body first, an expired token still ends the run as the credential (exit 2)', async () => {
    const dir = tmp();
    const r = await cli(['--fault', 'token-expires', '--harmless', 'credentials-after-body', '--report-dir', dir]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/the credential ended the run: token rejected or expired: .*the preflight cannot tell/);
    const rep = readReport(dir);
    expect(rep.summary.failed + rep.summary.timeout).toBe(0);
    expect(rep.preflight.map((p) => [p.credential, p.status])).toEqual([
      ['token', 400],
      ['made-up-token', 400],
    ]);
    expect(rep.preflight[1].meaning).toMatch(/reads the body before the credentials/);
  });
  test('a wrong token on a target that reads the body first is not blamed on the API', async () => {
    const s = await serve({ harmless: ['credentials-after-body'] });
    const dir = tmp();
    const args = ['--base-url', s.url, '--token', 'TOTALLY-WRONG-TOKEN-0000', '--project-id', fx.projectId];
    const r = await cli([...args, ...ids, '--report-dir', dir]);
    expect(r.code, r.stderr).toBe(2);
    expect(readReport(dir).summary.failed).toBe(0);
  });
  test('a target that checks credentials first: the made-up credential of the control is answered 401', async () => {
    const dir = tmp();
    const r = await cli([...minimal(await serve()), '--case', 'auth.missing-token', '--report-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(readReport(dir).preflight.map((p) => [p.credential, p.status])).toEqual([
      ['token', 400],
      ['made-up-token', 401],
    ]);
  });
  test('a target that hangs on one kind of body fails those cases and answers the others', async () => {
    const dir = tmp();
    const r = await cli(['--fault', 'hang-on-force-sync', '--timeout-ms', '300', '--report-dir', dir]);
    expect(r.code, r.stderr).toBe(1);
    const rep = readReport(dir);
    expect(rep.summary.not_run).toBe(0);
    const timedOut = rep.cases.filter((c) => c.outcome === 'timeout');
    expect(timedOut.length).toBeGreaterThan(3);
    expect(timedOut.every((c) => JSON.parse(c.request!.body!).force_sync === true)).toBe(true);
    expect(rep.cases.filter((c) => c.suite === 'auth').every((c) => c.outcome === 'passed')).toBe(true);
  });
  test('a target that stops answering altogether: the rest is not run, and the Markdown says why', async () => {
    const dir = tmp();
    const r = await cli(['--fault', 'hang', '--timeout-ms', '300', '--report-dir', dir]);
    expect(r.code).toBe(1);
    expect(readFile(dir, 'conformance.md')).toMatch(
      /- \*\*\d+ not run\*\*: the target stopped answering: 3 consecutive timeouts .*the preflight sent after them went unanswered too\. To test them: check that the target is up/,
    );
  });
});

describe('--list-cases', () => {
  test('prints the plan: each case, its family, rule, effect, and whether it is sent or why not', async () => {
    const s = await serve();
    const r = await cli([...minimal(s), '--list-cases']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^auth\.missing-token\tauth\tauth\.missing_or_unknown_token_401\tnone\tsend\t/m);
    expect(r.stdout).toMatch(
      /^positive\.fields\.channel-no\.instances-no\.force-true\tpositive\.fields\t\S+\tsync\tskip\t.*\twould synchronize .*: give --allow-sync-all$/m,
    );
    expect(r.stderr).toMatch(/^plan: \d+ to send, \d+ to skip$/m);
    expect(r.stderr).toMatch(/^ {2}\d+ skipped: 403 not tested: .*\(give --forbidden-token\)/m);
    expect(pairs(s)).toEqual([]); // sends nothing
  });
  test('ends quietly when its reader goes away (`--list-cases | head`)', async () => {
    const child = spawn(process.execPath, [join(root, 'bin', 'conformance.js'), '--list-cases', '--repeat', '20000']);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error:|\n\s+at /); // no error, no stack trace
    expect(code).toBe(0);
  });
  test('--format json: one JSON object per case, with its effect and whether it is sent', async () => {
    const r = await cli([...minimal(await serve()), '--list-cases', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.find((x) => x.id === 'auth.missing-token')).toMatchObject({ effect: 'none', send: true });
    expect(rows.find((x) => x.id === 'auth.forbidden-token')).toMatchObject({
      send: false,
      enable: 'give --forbidden-token',
    });
  });
});

describe('a run whose reader goes away', () => {
  test('keeps its exit code: a conformant run piped into `head -1` still exits 0', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, [
      join(root, 'bin', 'conformance.js'),
      '--case',
      'auth.*',
      '--report-dir',
      dir,
    ]);
    child.stderr.once('data', () => child.stderr.destroy());
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(readReport(dir).verdict).toBe('conformant');
  });
});
