// --shard i/n and merge: disjoint, deterministic slices by case id; the merged report of 3 shards
// equals the unsharded report (timings and the embedded server's port aside), exit code included;
// merge refuses anything but the shards 1..n of one run.

import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCases } from '../../generators/cases.ts';
import type { RunReport } from '../../reports/model.ts';
import { DEFAULT_FIXTURES as fx } from '../../server/index.ts';
import { shardOf, sliceCases } from '../../suites/run/plan.ts';
import { REPORT_SCHEMA, reportSchemaProblems, undeclaredFields } from '../reports/report-schema.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'conformance-shards-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'conformance.js'), ...args], {
      cwd: root,
      env: { ...process.env, CI: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const dir = (name: string) => join(work, name);
const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
const port = (s: string) => s.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');

/** conformance.json without wall-clock fields and the embedded server's port. */
function timeless(d: string): RunReport {
  const r = JSON.parse(port(read(d, 'conformance.json'))) as Partial<RunReport>;
  delete r.timestamp;
  delete r.durationMs;
  for (const c of r.cases!)
    for (const x of [c, ...(c.exchanges ?? [])]) {
      if ('durationMs' in x) delete x.durationMs;
      if (x.response) {
        delete x.response.durationMs;
        delete x.response.headers.date;
      }
    }
  return r as RunReport;
}
/** conformance.html without timings: the run's time, answer times (and their picture), Date headers. */
const htmlTimeless = (d: string) =>
  port(read(d, 'conformance.html'))
    .replace(/<figure><figcaption>Answer times[\s\S]*?<\/figure>/, '')
    .replace(/<dt>Run<\/dt><dd>[^<]*<\/dd>/, '')
    .replace(/<\/code> in \d+ ms<\/p>/g, '</code></p>')
    .replace(/(<\/code><\/td><td>[^<]*<\/td>)<td>\d*<\/td>/g, '$1<td></td>') // a case row's ms column
    .replace(/<th>date<\/th><td>[^<]*<\/td>/g, '');
const junitTimeless = (d: string) =>
  port(read(d, 'junit.xml'))
    .replace(/ time="[\d.]+"/g, '')
    .replace(/ timestamp="[^"]+"/g, '');

describe('slices', () => {
  const cases = buildCases({
    seed: 3,
    vpcChannelIds: [...fx.vpcChannelIds],
    instanceIds: [...fx.instanceIds],
    hasForbiddenToken: true,
    stressRepeats: 40,
  });
  test('every case lands in exactly one of n shards, by its id alone', () => {
    for (const n of [1, 2, 3, 7]) {
      const slices = Array.from({ length: n }, (_, i) => sliceCases(cases, { index: i + 1, count: n }));
      expect(slices.flatMap((s) => s.cases.map((c) => c.id)).sort()).toEqual(cases.map((c) => c.id).sort());
      for (const s of slices) expect(s.shard).toMatchObject({ count: n, cases: cases.length });
      expect(new Set(slices.map((s) => s.shard!.casesSha256)).size).toBe(1);
    }
    // A new case never moves the others: a case's shard does not depend on the rest of the set.
    const fewer = cases.slice(5);
    for (const c of fewer) expect(sliceCases(fewer, { index: shardOf(c.id, 4), count: 4 }).cases).toContain(c);
    expect(sliceCases(fewer, { index: 1, count: 4 }).shard!.casesSha256).not.toBe(
      sliceCases(cases, { index: 1, count: 4 }).shard!.casesSha256,
    );
  });
});

describe('three shards merged equal one unsharded run', () => {
  const FAULT = ['--fault', 't5-port-out-of-range', '--seed', '11'];
  let unsharded: Awaited<ReturnType<typeof cli>>;
  let merged: Awaited<ReturnType<typeof cli>>;
  const shardRuns: Awaited<ReturnType<typeof cli>>[] = [];
  beforeAll(async () => {
    unsharded = await cli([...FAULT, '--report-dir', dir('all')]);
    for (const i of [1, 2, 3]) shardRuns.push(await cli([...FAULT, '--shard', `${i}/3`, '--report-dir', dir(`s${i}`)]));
    merged = await cli(['merge', dir('s3'), dir('s1'), dir('s2'), '--report-dir', dir('merged'), '--format', 'json']);
  }, 300_000);

  test('the same case records, outcomes, coverage and exit code', () => {
    expect(unsharded.code).toBe(1);
    expect(merged.code, merged.stderr).toBe(1);
    const [a, b] = [timeless(dir('all')), timeless(dir('merged'))];
    expect(b.shard).toBeUndefined();
    expect(b.cases.length).toBeGreaterThan(40);
    expect(b).toEqual(a);
    expect(JSON.parse(merged.stdout)).toMatchObject({ verdict: 'not_conformant', exitCode: 1 });
    expect(merged.stderr).toMatch(/failing rules \(1\):\n {2}table5\.port\.maximum/);
  });

  test('the same Markdown and JUnit reports; an HTML report too', () => {
    expect(port(read(dir('merged'), 'conformance.md'))).toBe(port(read(dir('all'), 'conformance.md')));
    expect(junitTimeless(dir('merged'))).toBe(junitTimeless(dir('all')));
    expect(read(dir('merged'), 'conformance.html')).toContain('id="failed-table5.port.maximum"');
    const html = htmlTimeless(dir('merged'));
    expect(html).toContain('<th>content-type</th>'); // headers are shown, so their order is compared
    expect(html).toBe(htmlTimeless(dir('all')));
  });

  test('each shard says which it is, and holds only its slice', () => {
    const shards = [1, 2, 3].map((i) => JSON.parse(read(dir(`s${i}`), 'conformance.json')) as RunReport);
    expect(shards.map((s) => s.shard!.index)).toEqual([1, 2, 3]);
    expect(shards.reduce((n, s) => n + s.cases.length, 0)).toBe(shards[0].shard!.cases);
    for (const s of shards) for (const c of s.cases) expect(shardOf(c.id, 3)).toBe(s.shard!.index);
    expect(reportSchemaProblems(shards[0])).toEqual([]);
    expect(undeclaredFields(REPORT_SCHEMA, shards[0])).toEqual([]);
    expect(shards[0].target).toMatchObject({ embedded: true, fault: 't5-port-out-of-range' });
  });

  test('each shard says which it is in every report and on the console', () => {
    const whole = (JSON.parse(read(dir('all'), 'conformance.json')) as RunReport).summary.total;
    for (const i of [1, 2, 3]) {
      const k = (JSON.parse(read(dir(`s${i}`), 'conformance.json')) as RunReport).summary.total;
      const words = `shard ${i}/3, ${k} of ${whole} cases`;
      expect(shardRuns[i - 1].stderr).toContain(`(${words}; seed 11,`);
      expect(read(dir(`s${i}`), 'conformance.md')).toContain(`- Shard: ${words}`);
      expect(read(dir(`s${i}`), 'conformance.html')).toContain(`<dd id="shard">${words}`);
      expect(read(dir(`s${i}`), 'junit.xml')).toContain(`<property name="shard" value="${words}"/>`);
    }
    for (const f of ['conformance.md', 'conformance.html', 'junit.xml'])
      expect(read(dir('merged'), f)).not.toMatch(/shard \d\/3/i);
  });

  test('refuses a report dir that is a shard dir or inside one, in one line, deleting nothing', async () => {
    for (const i of [1, 2, 3]) cpSync(dir(`s${i}`), dir(`c${i}`), { recursive: true });
    const before = read(dir('c1'), 'conformance.json');
    for (const out of [dir('c1'), `${dir('c2')}/`, join(dir('c3'), 'merged')]) {
      const r = await cli(['merge', dir('c1'), dir('c2'), dir('c3'), '--report-dir', out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/--report-dir .* the shard report dir /)]);
    }
    for (const i of [1, 2, 3])
      for (const f of ['conformance.json', 'junit.xml', 'conformance.md', 'conformance.html'])
        expect(read(dir(`c${i}`), f).length).toBeGreaterThan(0);
    expect(read(dir('c1'), 'conformance.json')).toBe(before);
  });

  test('refuses a missing or duplicated shard, and shards of different runs', async () => {
    const refuse = async (args: string[], message: RegExp) => {
      const r = await cli(['merge', ...args, '--report-dir', dir('refused')]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    };
    await refuse([dir('s1'), dir('s2')], /missing shard 3\/3/);
    await refuse([dir('s1'), dir('s2'), dir('s2')], /shard 2\/3 given twice/);
    await refuse([dir('all')], /not the report of a shard/);
    const edited = (name: string, edit: (r: RunReport) => void) => {
      cpSync(dir('s3'), dir(name), { recursive: true });
      const r = JSON.parse(read(dir(name), 'conformance.json')) as RunReport;
      edit(r);
      writeFileSync(join(dir(name), 'conformance.json'), JSON.stringify(r, null, 2));
      return dir(name);
    };
    await refuse([dir('s1'), dir('s2'), edited('seed', (r) => (r.seed = 12))], /seed differs/);
    await refuse([dir('s1'), dir('s2'), edited('tool', (r) => (r.tool.version = '9.9.9'))], /tool version differs/);
    await refuse(
      [dir('s1'), dir('s2'), edited('page', (r) => (r.pageSha256 = 'f'.repeat(64)))],
      /page \(pageSha256\) differs/,
    );
    await refuse([dir('s1'), dir('s2'), edited('cut', (r) => r.cases.pop())], /do not hold the run's case set/);
    const other = await cli([...FAULT, '--cases', '2', '--shard', '3/3', '--report-dir', dir('other')]);
    expect(other.code).toBeLessThan(2);
    await refuse([dir('s1'), dir('s2'), dir('other')], /case set differs/);
    // The same cases run against another target: without the fault, or with a harmless switch too.
    const clean = await cli(['--seed', '11', '--shard', '2/3', '--report-dir', dir('clean')]);
    expect(clean.code, clean.stderr).toBe(0);
    await refuse([dir('s1'), dir('clean'), dir('s3')], /target \(URL, fault and harmless switches\) differs/);
    const harmless = ['--harmless', 'entries-reordered', '--shard', '2/3', '--report-dir', dir('harmless')];
    expect((await cli([...FAULT, ...harmless])).code).toBe(1);
    await refuse([dir('s1'), dir('harmless'), dir('s3')], /target \(URL, fault and harmless switches\) differs/);
  }, 180_000);
});

describe('merged with a waiver', () => {
  test('waived cases are waived again, and the waiver counts every case it waived', async () => {
    const WAIVED = ['--fault', 't5-port-out-of-range', '--seed', '11', '--waive', 'table5.port.maximum'];
    const all = await cli([...WAIVED, '--report-dir', dir('w-all')]);
    for (const i of [1, 2]) await cli([...WAIVED, '--shard', `${i}/2`, '--report-dir', dir(`w${i}`)]);
    const merged = await cli(['merge', dir('w1'), dir('w2'), '--report-dir', dir('w-merged')]);
    expect(all.code).toBe(0);
    expect(merged.code, merged.stderr).toBe(0);
    const [a, b] = [timeless(dir('w-all')), timeless(dir('w-merged'))];
    expect(a.summary.waived).toBeGreaterThan(0);
    expect(b.waivers).toEqual(a.waivers);
    expect(b.waivers[0].used).toBe(a.summary.waived);
    expect(b).toEqual(a);
  }, 300_000);
});

describe('a shard with nothing to send', () => {
  test('exits 0 with a note; "nothing was tested" is left to the merged report', async () => {
    const id = 'auth.missing-token';
    const empty = (shardOf(id, 3) % 3) + 1;
    const r = await cli(['--case', id, '--shard', `${empty}/3`, '--report-dir', dir('empty')]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(read(dir('empty'), 'conformance.json')) as RunReport;
    expect(report.cases).toEqual([]);
    expect(report.notes).toContainEqual(expect.stringMatching(new RegExp(`^shard ${empty}/3 sent no case`)));
    expect(r.stderr).toContain(`note: shard ${empty}/3 sent no case`);
    expect(r.stderr).toMatch(/^no verdict on its own: /m);
    expect(read(dir('empty'), 'conformance.md')).toContain(
      `**Verdict: none on its own.** Shard ${empty}/3 sent no case`,
    );
    expect(read(dir('empty'), 'conformance.html')).toContain(
      `<strong>No verdict on its own.</strong> Shard ${empty}/3 sent no case`,
    );
  });
  test('shards that sent nothing between them merge into "nothing was tested" (exit 2)', async () => {
    // --no-sync skips this case: one shard holds it wholly skipped, the other holds nothing.
    const only = ['--no-sync', '--case', 'positive.channel-2.force-true'];
    for (const i of [1, 2]) {
      const r = await cli([...only, '--shard', `${i}/2`, '--report-dir', dir(`none${i}`)]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`note: shard ${i}/2 sent no case`);
    }
    const merged = await cli(['merge', dir('none1'), dir('none2'), '--report-dir', dir('none-merged')]);
    expect(merged.code, merged.stderr).toBe(2);
    expect(merged.stderr).toMatch(/could not judge: nothing was tested/);
    const report = JSON.parse(read(dir('none-merged'), 'conformance.json')) as RunReport;
    expect(report.summary).toMatchObject({ skipped: 1, total: 1 });
    expect(report.notes.filter((n) => n.includes('sent no case'))).toEqual([]);
  });
  test.each([['0/3'], ['4/3'], ['x'], ['1/0']])('--shard %s is a usage error', async (shard) => {
    const r = await cli(['--shard', shard]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shard must be i\/n/);
  });
  test("merge --help shows merge's help", async () => {
    const r = await cli(['merge', '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: conformance merge DIR\.\.\. --report-dir OUT/);
    expect(r.stdout).toContain('OUT may not be one of the DIRs or inside one');
  });
  test('merge without dirs, or with run flags, is a usage error', async () => {
    expect((await cli(['merge', '--report-dir', dir('x')])).stderr).toMatch(/merge needs the report dirs/);
    expect((await cli(['merge', dir('s1'), '--seed', '3'])).stderr).toMatch(/merge takes only/);
  });
});
