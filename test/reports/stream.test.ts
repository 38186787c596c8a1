// Reports of any size are built one record at a time: the JSONL reader, the streaming assembler and
// the chunked renderers must give byte for byte what the in-memory path gives, read each record
// only when it is needed, and leave no partial file behind when rendering fails half-way.
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openJsonLines } from '../../reports/jsonl.ts';
import { assembleReport, assembleStream } from '../../reports/assemble.ts';
import { jsonChunks, renderJson } from '../../reports/json.ts';
import { junitChunks, renderJunit } from '../../reports/junit.ts';
import { markdownOf, renderMarkdown, REPORT_FILES, streamOf, writeReports } from '../../reports/index.ts';
import type { CaseRecord, ReportStream } from '../../reports/model.ts';
import { makeReport, SECRETS } from './fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'stream-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(dir, `${n++}-${name}`);

describe('openJsonLines', () => {
  test('reads every line, across 1 MiB chunk boundaries, and re-reads each from its byte range', () => {
    const file = fresh('big.jsonl');
    // Lines of 300 KiB and of 1.5 MiB: some cross one chunk boundary, one crosses two. Multi-byte text shifts byte offsets.
    const values = [0, 1, 2, 3, 4, 5].map((i) => ({
      i,
      text: `é${'x'.repeat(i === 3 ? 1.5 * 2 ** 20 : 300 * 1024)}🙂`,
    }));
    writeFileSync(file, `${values.map((v) => `${JSON.stringify(v)}\n`).join('')}\n\n`);
    const lines = openJsonLines<{ i: number; text: string }>(file);
    const seen = [...lines.records];
    expect(seen.map(([v]) => v)).toEqual(values);
    for (const [v, at] of seen.reverse()) expect(lines.load(at)).toEqual(v);
    lines.close();
  });

  test('a missing file is empty; a last line without its newline is not a record; a bad line names its byte', () => {
    expect([...openJsonLines(fresh('missing.jsonl')).records]).toEqual([]);
    const cut = fresh('cut.jsonl');
    writeFileSync(cut, '{"a":1}\n{"a":2}\n{"a":');
    expect([...openJsonLines<{ a: number }>(cut).records].map(([v]) => v.a)).toEqual([1, 2]);
    const bad = fresh('bad.jsonl');
    writeFileSync(bad, '{"a":1}\nnot json\n');
    expect(() => [...openJsonLines(bad).records]).toThrow(/line at byte 8 is not JSON/);
  });
});

const meta = {
  tool: { name: 't', version: '0' },
  node: 'v20',
  pageSha256: 'p',
  schemasSha256: 's',
  target: { url: 'http://127.0.0.1', embedded: true },
  seed: 1,
  durationMs: 5,
};
const skeleton = (c: CaseRecord): CaseRecord => ({
  id: c.id,
  suite: c.suite,
  kind: c.kind,
  description: c.description,
  rule: c.rule,
  seed: c.seed,
  outcome: 'not_run',
  reason: 'the run ended before this case',
  checks: [],
  failures: [],
});

describe('assembleStream over a records file', () => {
  const report = makeReport();
  const records = report.cases;
  const waivers = [
    {
      ruleId: records.find((c) => c.outcome === 'failed')!.checks.find((k) => k.outcome === 'failed')!.citations[0]
        .ruleId,
      reason: 'ticket',
    },
  ];
  const options = {
    waivers,
    documentedStatuses: [201, 400, 401, 403, 500],
    rules: [],
    now: new Date('2026-11-25T00:00:00Z'),
    meta,
  };

  test('gives the in-memory report, reading each record only when a reporter asks for it', () => {
    const file = fresh('records.jsonl');
    // Written out of order, with one id twice (the last wins) and one id the run does not know.
    const shuffled = [...records].reverse();
    for (const r of [{ ...shuffled[0], outcome: 'error' as const }, ...shuffled, { ...records[0], id: 'zz.unknown' }])
      appendFileSync(file, `${JSON.stringify(r)}\n`);
    const lines = openJsonLines<CaseRecord>(file);
    let loads = 0;
    const stream = assembleStream({
      ...options,
      records: lines.records,
      load: (at) => (loads++, lines.load(at)),
      expected: records.map(skeleton),
    });
    const inMemory = assembleReport({ ...options, records, expected: records.map(skeleton) });
    expect(loads).toBe(0);
    expect({ ...stream.head, cases: [...stream.cases()] }).toEqual(inMemory);
    expect(loads).toBe(records.length);
    const failedIds = [...stream.cases((b) => b.outcome === 'failed')].map((c) => c.id);
    expect(failedIds).toEqual(inMemory.cases.filter((c) => c.outcome === 'failed').map((c) => c.id));
    expect(loads).toBe(records.length + failedIds.length);
    lines.close();
  });

  test('a case without a record keeps its skeleton and makes the run inconclusive', () => {
    const passed = records.filter((c) => c.outcome === 'passed');
    const [first, ...rest] = passed;
    const stream = assembleStream({
      ...options,
      records: rest.map((r): [CaseRecord, CaseRecord] => [r, r]),
      load: (r) => r,
      expected: passed.map(skeleton),
    });
    expect(stream.head).toMatchObject({ exitCode: 2, verdict: 'inconclusive' });
    expect([...stream.cases((b) => b.id === first.id)]).toEqual([skeleton(first)]);
  });
});

describe('chunked renderers', () => {
  test('jsonChunks and junitChunks join to the whole-report renderings, with and without cases', () => {
    for (const report of [makeReport(), { ...makeReport(), cases: [] }]) {
      expect([...jsonChunks(streamOf(report))].join('')).toBe(renderJson(report));
      expect([...junitChunks(streamOf(report))].join('')).toBe(renderJunit(report));
      expect(JSON.parse(renderJson(report)).cases).toHaveLength(report.cases.length);
    }
  });

  test('markdownOf gives renderMarkdown, reading the failing and warning cases, then again only the examples it shows', () => {
    const report = makeReport();
    const stream = streamOf(report);
    const read: string[] = [];
    const counted: ReportStream = {
      ...stream,
      *cases(pick) {
        for (const c of stream.cases(pick)) {
          read.push(c.id);
          yield c;
        }
      },
    };
    expect(markdownOf(counted)).toBe(renderMarkdown(report));
    const shown = report.cases
      .filter((c) => ['failed', 'timeout', 'error', 'warning'].includes(c.outcome))
      .map((c) => c.id);
    expect(new Set(read)).toEqual(new Set(shown));
    expect(read.length).toBeLessThanOrEqual(2 * shown.length);
    expect(read).not.toContain(report.cases.find((c) => c.outcome === 'passed')!.id);
  });

  test('writeReports writes the same files from a stream as from a report', async () => {
    const a = fresh('from-report');
    const b = fresh('from-stream');
    await writeReports(makeReport(), a, SECRETS);
    await writeReports(streamOf(makeReport()), b, SECRETS);
    for (const f of REPORT_FILES) expect(readFileSync(join(b, f), 'utf8')).toBe(readFileSync(join(a, f), 'utf8'));
  });

  test("a stream that fails half-way leaves neither a partial file nor last run's file", async () => {
    const out = fresh('broken');
    await writeReports(makeReport(), out, SECRETS);
    const good = streamOf(makeReport());
    const broken: ReportStream = {
      ...good,
      *cases(pick) {
        let i = 0;
        for (const c of good.cases(pick)) {
          if (i++ === 2) throw new Error('disk on fire');
          yield c;
        }
      },
    };
    await expect(writeReports(broken, out, SECRETS)).rejects.toThrow('disk on fire');
    expect(readdirSync(out)).toEqual([]);
  });
});
