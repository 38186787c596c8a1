// The CLI end to end, as a user runs it (the package bin in a child process): exit codes, reports,
// waivers, single cases, determinism, and that a user's token never reaches any output.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startReferenceServer, DEFAULT_FIXTURES, type ReferenceServer } from '../../server/index.ts';
import { stripTimings } from '../../reports/json.ts';
import type { RunReport } from '../../reports/model.ts';
import { BATCH_SIZE } from '../../suites/run.ts';
import { buildCases } from '../../generators/cases.ts';
import { DEFAULT_SEED } from '../../generators/seed.ts';
import {
  reportSchemaProblems,
  summarySchemaProblems,
  undeclaredFields,
  REPORT_SCHEMA,
} from '../reports/report-schema.ts';
import { junit10Problems } from '../reports/junit-10.ts';
import { rules } from '../../schemas/index.ts';
import { allOutput, cli, readReport, root, tmp } from './cli-helpers.ts';

const fx = DEFAULT_FIXTURES;
/** The cases of a default run (the embedded server's fixtures, the default seed). */
const DEFAULT_CASES = buildCases({
  seed: DEFAULT_SEED,
  vpcChannelIds: [...fx.vpcChannelIds],
  instanceIds: [...fx.instanceIds],
  hasForbiddenToken: true,
}).length;

describe('default run (embedded reference server)', () => {
  test('exits 0, prints the seed, writes all three reports', async () => {
    const dir = tmp();
    const r = await cli(['--report-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/seed 20231/);
    const report = readReport(dir);
    expect(report.verdict).toBe('conformant');
    expect(report.summary.failed).toBe(0);
    expect(report.summary.passed).toBeGreaterThan(40);
    expect(report.coverage.filter((c) => c.hit).map((c) => c.status)).toEqual(
      expect.arrayContaining([201, 400, 401, 403]),
    );
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)?.length).toBe(report.summary.total);
    expect(junit10Problems(junit)).toEqual([]);
    expect(readFileSync(join(dir, 'conformance.md'), 'utf8')).toMatch(/conformant/i);
    expect(reportSchemaProblems(report)).toEqual([]);
    expect(undeclaredFields(REPORT_SCHEMA, report)).toEqual([]);
    expect(r.stderr).not.toMatch(/failing rules/);
  });
});

// A run of 2,500+ cases takes about 20 s on an idle 2-core machine and over 60 s on a loaded one:
// its budget is generous, since what these tests check is the report, not the speed (npm run bench).
const LONG_RUN = 180_000;
describe(`a long run is cut into runner passes of ${BATCH_SIZE} cases`, () => {
  test(
    'every case runs exactly once and the report is whole',
    async () => {
      const dir = tmp();
      const r = await cli(['--report-dir', dir, '--cases', String(BATCH_SIZE)]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        new RegExp(`${BATCH_SIZE + DEFAULT_CASES} of ${BATCH_SIZE + DEFAULT_CASES} cases recorded`),
      );
      const report = readReport(dir);
      expect(report.summary).toMatchObject({ total: BATCH_SIZE + DEFAULT_CASES, passed: BATCH_SIZE + DEFAULT_CASES });
      expect(new Set(report.cases.map((c) => c.id)).size).toBe(BATCH_SIZE + DEFAULT_CASES);
      expect(readFileSync(join(dir, 'junit.xml'), 'utf8').match(/<testcase /g)?.length).toBe(
        BATCH_SIZE + DEFAULT_CASES,
      );
    },
    LONG_RUN,
  );
  test(
    'a target that stops answering trips the breaker once for the whole run, not once per batch',
    async () => {
      const dir = tmp();
      const r = await cli([
        '--report-dir',
        dir,
        '--cases',
        String(BATCH_SIZE),
        '--fault',
        'hang',
        '--timeout-ms',
        '300',
      ]);
      expect(r.code, r.stderr).toBe(1);
      const report = readReport(dir);
      expect(report.summary).toMatchObject({
        timeout: 3,
        not_run: BATCH_SIZE + DEFAULT_CASES - 3,
        total: BATCH_SIZE + DEFAULT_CASES,
      });
      expect(report.cases.find((c) => c.outcome === 'not_run')?.reason).toMatch(/stopped answering/);
    },
    LONG_RUN,
  );
});

describe('verdicts', () => {
  test('a fault makes the run exit 1, and the report names the rule, table and words', async () => {
    const dir = tmp();
    const summaryFile = join(tmp(), 'step-summary.md');
    writeFileSync(summaryFile, 'an earlier step\n');
    const r = await cli(['--report-dir', dir, '--fault', 't5-port-out-of-range', '--format', 'json'], {
      GITHUB_STEP_SUMMARY: summaryFile,
    });
    expect(r.code).toBe(1);
    const report = readReport(dir);
    const failed = report.cases.filter((c) => c.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].curl).toContain('$TOKEN');
    const md = readFileSync(join(dir, 'conformance.md'), 'utf8');
    expect(md).toContain('table5.port.maximum');
    expect(md).toContain('Table 5');
    expect(reportSchemaProblems(report)).toEqual([]);
    expect(undeclaredFields(REPORT_SCHEMA, report)).toEqual([]);
    expect(junit10Problems(readFileSync(join(dir, 'junit.xml'), 'utf8'))).toEqual([]);
    // The rule coverage matrix: the broken rule failed, its neighbours held, a field never sent was not observed.
    const rule = (id: string) => report.ruleCoverage.find((e) => e.ruleId === id)!;
    expect(report.ruleCoverage.map((e) => e.ruleId)).toEqual(rules.map((e) => e.id));
    expect(rule('table5.port.maximum')).toMatchObject({ status: 'failed', failed: failed.length });
    expect(rule('table5.port.minimum').status).toBe('passed');
    expect(rule('table12.error_code.type').status).toBe('passed');
    expect(rule('table9.cce_info.type').status).toBe('not_observed');
    expect(rule('table15.error_code.type').status).toBe('not_tested');
    // The console names the failing rules before the report paths; stdout is one JSON object.
    const lines = r.stderr.trim().split('\n');
    const at = lines.findIndex((l) => l.startsWith('failing rules (1):'));
    expect(lines[at + 1]).toMatch(/^ {2}table5\.port\.maximum \(Table 5, port\): \d+ cases, e\.g\. \S+$/);
    expect(at).toBeLessThan(lines.findIndex((l) => l.startsWith('report: ')));
    const summary = JSON.parse(r.stdout);
    expect(summarySchemaProblems(summary)).toEqual([]);
    expect(summary).toMatchObject({
      verdict: 'not_conformant',
      exitCode: 1,
      failingRules: [{ ruleId: 'table5.port.maximum' }],
    });
    const step = readFileSync(summaryFile, 'utf8');
    expect(step.startsWith('an earlier step\n### Conformance: not conformant (exit 1)')).toBe(true);
    expect(step).toContain('| `table5.port.maximum` | Table 5 | `port` |');
  });
  test('--format json prints one JSON object with the reason when the run could not judge', async () => {
    const bad = await cli(['--seed', 'x'], { CONFORMANCE_FORMAT: 'json' });
    expect(bad.code).toBe(2);
    const summary = JSON.parse(bad.stdout);
    expect(summarySchemaProblems(summary)).toEqual([]);
    expect(summary).toMatchObject({ verdict: 'inconclusive', exitCode: 2, reason: expect.stringMatching(/--seed/) });
    const unreachable = await cli(
      ['--base-url', 'http://127.0.0.1:9', '--token', 'abcdefgh', '--project-id', 'p', '--report-dir', tmp()],
      { CONFORMANCE_FORMAT: 'json' },
    );
    expect(JSON.parse(unreachable.stdout)).toMatchObject({ exitCode: 2, reason: expect.stringMatching(/unreachable/) });
    expect((await cli(['--format', 'yaml'])).stderr).toMatch(/--format must be text or json/);
  });
  test('a waiver turns those failures into waived (exit 0); an expired one does not (exit 1)', async () => {
    const dir = tmp();
    const r = await cli(['--report-dir', dir, '--fault', 't5-port-out-of-range', '--waive', 'table5.port.maximum']);
    expect(r.code, r.stderr).toBe(0);
    expect(readReport(dir).summary.waived).toBeGreaterThan(0);
    const file = join(tmp(), 'waivers.json');
    writeFileSync(
      file,
      JSON.stringify([{ ruleId: 'table5.port.maximum', reason: 'vendor ticket 42', expires: '2020-01-01' }]),
    );
    const dir2 = tmp();
    const r2 = await cli(['--report-dir', dir2, '--fault', 't5-port-out-of-range', '--waivers', file]);
    expect(r2.code).toBe(1);
    expect(readReport(dir2).waivers[0]).toMatchObject({ ruleId: 'table5.port.maximum', expired: true, used: 0 });
  });
  test('persistent throttling is inconclusive: exit 2', async () => {
    const r = await cli(['--report-dir', tmp(), '--fault', 'throttle-always']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/throttl/);
  });
});

describe('against --base-url', () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer({ port: 0, fault: 'echo-token', log: () => {} });
  });
  afterAll(() => server.close());
  const target = () => [
    '--base-url',
    server.url,
    '--project-id',
    fx.projectId,
    '--vpc-channel-id',
    fx.vpcChannelIds[0],
    '--instance-ids',
    fx.instanceIds.join(','),
  ];

  test("the user's tokens never appear in any report, log line or console output, even when echoed back", async () => {
    const dir = tmp();
    const r = await cli([...target(), '--report-dir', dir, '--forbidden-token', fx.forbiddenToken], {
      CONFORMANCE_TOKEN: fx.token,
    });
    expect(r.code, r.stderr).toBe(0);
    const everything = allOutput(dir, r);
    expect(everything).not.toContain(fx.token);
    expect(everything).not.toContain(fx.forbiddenToken);
  });
  test('the same seed gives the same report apart from timings', async () => {
    const [a, b] = [tmp(), tmp()];
    await cli([...target(), '--report-dir', a, '--token', fx.token, '--seed', '99']);
    await cli([...target(), '--report-dir', b, '--token', fx.token, '--seed', '99']);
    const norm = (dir: string) => {
      const rep = stripTimings(readReport(dir)) as RunReport;
      for (const c of rep.cases)
        for (const r of [c.response, ...(c.exchanges ?? []).map((x) => x.response)]) if (r) delete r.headers.date;
      return rep;
    };
    expect(norm(a)).toEqual(norm(b));
  });
  test('without a forbidden token the 403 case is skipped with the reason; a run that sent nothing exits 2', async () => {
    const dir = tmp();
    const r = await cli([...target(), '--report-dir', dir, '--token', fx.token, '--case', 'auth.forbidden-token']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/could not judge: nothing was tested/);
    const rep = readReport(dir);
    expect(rep.cases).toHaveLength(1);
    expect(rep.cases[0]).toMatchObject({ outcome: 'skipped', enable: 'give --forbidden-token' });
    expect(rep.cases[0].reason).toMatch(/^403 not tested/);
  });
  test('a rejected token ends the run with exit 2 before any case', async () => {
    const r = await cli([...target(), '--report-dir', tmp(), '--token', 'not-the-token-0000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/token rejected/);
    expect(r.stderr).not.toContain('not-the-token-0000');
  });
});

const REMOTE = ['--base-url', 'http://127.0.0.1:9', '--token', 'abcdefgh', '--project-id', 'p'];

describe('usage', () => {
  test('a report dir that cannot be written exits 2 at once, before any case', async () => {
    const file = join(tmp(), 'a-file');
    writeFileSync(file, '');
    const started = Date.now();
    const r = await cli(['--report-dir', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write reports to .*a-file is not a directory/);
    expect(r.stderr).not.toMatch(/internal error/);
    const nested = await cli(['--report-dir', join(file, 'below')]);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toMatch(/is not a directory/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
  test('--help and --version exit 0', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/--base-url/);
    expect((await cli(['--version'])).stdout).toMatch(/\d+\.\d+\.\d+/);
  });
  test.each([
    [['--bogus'], /Unknown option/],
    [['--base-url', 'http://127.0.0.1:9'], /needs --token/],
    [['--base-url', 'http://127.0.0.1:9', '--token', 'abcdefgh'], /needs --project-id/],
    [['--seed', 'abc'], /--seed must be a whole number/],
    [['--fault', 'no-such-fault'], /unknown fault/],
    [['--harmless', 'no-such-switch'], /unknown harmless switch/],
    [
      ['--base-url', 'http://127.0.0.1:9', '--token', 'abcdefgh', '--project-id', 'p', '--harmless', 'slow-answers'],
      /embedded reference server only/,
    ],
    [['--case', 'no.such.case', '--report-dir', tmp()], /no case with id/],
    [['--list-cases', '--case', 'no.such.case'], /no case with id/],
    [[...REMOTE, '--no-sync', '--allow-sync-all'], /--no-sync and --allow-sync-all contradict each other/],
    [['--allow-sync-all'], /--allow-sync-all applies to --base-url runs/],
    [['--token', 'abcdefgh'], /--token applies to --base-url runs/],
    [['--forbidden-token', 'abcdefgh'], /--forbidden-token applies to --base-url runs/],
    [['--project-id', 'p'], /--project-id applies to --base-url runs/],
    [[...REMOTE, '--token-file', join(root, 'package.json')], /give --token or --token-file, not both/],
    [[...REMOTE, '--forbidden-token', 'abcdefgh'], /--forbidden-token is the --token itself/],
    [[...REMOTE, '--instance-ids', ' , '], /--instance-ids names no id/],
    [[...REMOTE, '--vpc-channel-id', ' '], /--vpc-channel-id names no id/],
  ])('%j exits 2 with one clear line', async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  test('a boolean env twin takes 1/true/0/false, and anything else is a usage error', async () => {
    const r = await cli(['--list-cases'], { CONFORMANCE_NO_SYNC: 'yes' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CONFORMANCE_NO_SYNC must be 1, true, 0 or false/);
  });
  test('an unreachable target exits 2, and leaves no older report that would look current', async () => {
    const dir = tmp();
    for (const f of ['conformance.json', 'junit.xml', 'conformance.md']) writeFileSync(join(dir, f), 'an older run');
    const r = await cli([
      '--base-url',
      'http://127.0.0.1:9',
      '--token',
      'abcdefgh',
      '--project-id',
      'p',
      '--report-dir',
      dir,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unreachable/);
    expect(readdirSync(dir)).toEqual([]);
  });
  test('an interrupted run (SIGINT) stops at once, says so, and leaves neither a report nor its working files', async () => {
    const dir = tmp();
    const work = tmp(); // the child's TMPDIR: where its case and record files live
    const child = spawn(
      process.execPath,
      [join(root, 'bin', 'conformance.js'), '--cases', '20000', '--report-dir', dir],
      { cwd: root, env: { ...process.env, CI: 'true', TMPDIR: work } },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Interrupt while cases run: once the suites have written their first records.
    await expect
      .poll(() => readdirSync(work).some((d) => existsSync(join(work, d, 'records.jsonl'))), {
        timeout: 30_000,
        interval: 100,
      })
      .toBe(true);
    const at = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    expect(Date.now() - at).toBeLessThan(5_000);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/the run was interrupted; no report was written/);
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(work).filter((d) => d.startsWith('conformance-'))).toEqual([]); // tsx keeps its cache there too
  });
  test('--list-cases sends nothing and lists the same ids for the same seed', async () => {
    const a = await cli(['--list-cases', '--seed', '5']);
    const b = await cli(['--list-cases', '--seed', '5']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toMatch(/^negative\.table3\.instance_ids\.type\.wrong-type\t/m);
  });
});

describe('case families, depth and repetitions', () => {
  const ids = (stdout: string) =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0]);
  test('--list-cases shows each case with its family, and the families with their counts', async () => {
    const r = await cli(['--list-cases']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^positive\.equivalent\.pretty-printed\tpositive\.equivalent\twire\.equivalent_json\t/m);
    expect(r.stderr).toMatch(/^ {2}negative\.coercible +9 {2}wrong-typed values a lenient parser coerces/m);
    expect(r.stderr).toMatch(new RegExp(`^${DEFAULT_CASES} cases \\(seed 20231\\)$`, 'm'));
  });
  test('--examples N (or CONFORMANCE_EXAMPLES) adds N variants per family and changes no other case', async () => {
    const plain = await cli(['--list-cases']);
    const deep = await cli(['--list-cases', '--examples', '2']);
    const env = await cli(['--list-cases'], { CONFORMANCE_EXAMPLES: '2' });
    expect(deep.stdout).toBe(env.stdout);
    const added = ids(deep.stdout).filter((id) => !ids(plain.stdout).includes(id));
    expect(added).toContain('positive.equivalent.variant-1');
    expect(added.every((id) => /\.variant-[01]$/.test(id))).toBe(true);
    expect(deep.stdout.split('\n').filter((l) => !l.includes('.variant-'))).toEqual(plain.stdout.split('\n'));
  });
  test('--repeat N adds repetitions; --cases N is its old name, with a note', async () => {
    const repeat = await cli(['--list-cases', '--repeat', '3']);
    const old = await cli(['--list-cases', '--cases', '3']);
    expect(old.stdout).toBe(repeat.stdout);
    expect(ids(repeat.stdout).filter((id) => id.startsWith('positive.repeat.'))).toHaveLength(3);
    expect(old.stderr).toMatch(/--cases is now --repeat/);
    expect(repeat.stderr).not.toMatch(/--cases/);
  });
  test('--vpc-channel-id takes a comma list, as --instance-ids does', async () => {
    const r = await cli([
      '--list-cases',
      '--base-url',
      'http://127.0.0.1:9',
      '--token',
      'abcdefgh',
      '--project-id',
      'p',
      '--vpc-channel-id',
      'ch-a, ch-b',
      '--instance-ids',
      'i-1,i-2,i-3',
    ]);
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(
      expect.arrayContaining(['positive.variety.channel-2.no-instances', 'positive.channel-2.force-true']),
    );
  });
  test.each([
    [['--examples', 'many'], /--examples must be a whole number/],
    [['--repeat', '1.5'], /--repeat must be a whole number/],
    [['--cases', '2', '--repeat', '3'], /--cases is the old name of --repeat/],
  ])('%j exits 2 with one clear line', async (args, message) => {
    const r = await cli([...(args as string[]), '--list-cases']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
