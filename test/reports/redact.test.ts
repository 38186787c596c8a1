import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { redact, redactDeep, REDACTED, SHORT_SECRET } from '../../reports/redact.ts';
import { runLines } from '../../reports/console.ts';
import { REPORT_FILES, writeReports } from '../../reports/index.ts';
import { renderJson } from '../../reports/json.ts';
import { renderJunit } from '../../reports/junit.ts';
import { escapeMdChars, renderMarkdown } from '../../reports/markdown.ts';
import type { RunReport } from '../../reports/model.ts';
import { makeReport, PASSWORD, SECRET, SECRETS } from './fixture.ts';

/** Every spelling of a secret that must never reach a file. */
function leaks(text: string): string[] {
  const forms = (s: string) => {
    const inner = (x: string) => JSON.stringify(x).slice(1, -1);
    const json = inner(s);
    const slashed = json.replace(/\//g, '\\/');
    const pct = encodeURIComponent(s);
    return [
      s,
      json,
      slashed,
      inner(json),
      inner(slashed),
      pct,
      pct.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      pct.replace(/%20/g, '+'),
      escapeMdChars(s),
      s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
      s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
    ];
  };
  return SECRETS.flatMap(forms).filter((f) => text.includes(f));
}

describe('redact', () => {
  it('replaces raw, URL-encoded and JSON-escaped forms', () => {
    const text = [
      SECRET,
      encodeURIComponent(SECRET),
      encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      JSON.stringify(SECRET),
      SECRET.replace('/', '\\/'),
      JSON.stringify(PASSWORD),
      `q=${encodeURIComponent(PASSWORD)}`,
    ].join(' ');
    const out = redact(text, SECRETS);
    expect(leaks(out)).toEqual([]);
    expect(out).toBe(`${REDACTED} ${REDACTED} ${REDACTED} "${REDACTED}" ${REDACTED} "${REDACTED}" q=${REDACTED}`);
  });

  it('prefers the longer of two overlapping secrets and is idempotent', () => {
    const out = redact('token=abcdefgh123456 short=abcdefgh', ['abcdefgh', 'abcdefgh123456']);
    expect(out).toBe(`token=${REDACTED} short=${REDACTED}`);
    expect(redact(out, ['abcdefgh', 'abcdefgh123456', 'REDACTED'])).toBe(out);
  });

  it('treats regex characters literally, ignores empty secrets', () => {
    expect(redact('a.*b+c?d$ axxbxcxd', ['.*b+c?d$'])).toBe(`a${REDACTED} axxbxcxd`);
    expect(redact('unchanged', [''])).toBe('unchanged');
    expect(redact('unchanged', [])).toBe('unchanged');
  });

  it(`a secret shorter than ${SHORT_SECRET} characters is redacted as a whole value, never inside other text`, () => {
    expect(redact('pin 42!', ['42'])).toBe('pin 42!');
    expect(redact('42', ['42'])).toBe(REDACTED);
    expect(redact('"', ['"'])).toBe(REDACTED);
    expect(redact('\\"', ['"'])).toBe(REDACTED); // its JSON spelling, as a whole value
    expect(redact('not_conformant: 0 passed', ['a', 't', '"'])).toBe('not_conformant: 0 passed');
    expect(redact('1234567', ['1234567'])).toBe(REDACTED);
    expect(redact('x 12345678 y', ['12345678'])).toBe(`x ${REDACTED} y`); // from SHORT_SECRET on, anywhere
    const record = {
      failures: ['[response_schema_conformance] Table 5 says so'],
      request: { headers: { 'Content-Type': 'application/json', 'X-Gw': 'a', 'X-Gw2': '"' } },
      curl: `curl -H "X-Auth-Token: $TOKEN" -H 'X-Gw: a'`,
    };
    expect(redactDeep(record, ['a', '"'], 'headers')).toEqual({
      ...record,
      request: { headers: { 'Content-Type': 'application/json', 'X-Gw': REDACTED, 'X-Gw2': REDACTED } },
    });
  });

  it('redactDeep walks strings, arrays and keys without mutating the input', () => {
    const input = { [SECRET]: [SECRET, 1, null, true, { h: `Bearer ${SECRET}` }], n: 5 };
    const out = redactDeep(input, SECRETS);
    expect(out).toEqual({ [REDACTED]: [REDACTED, 1, null, true, { h: `Bearer ${REDACTED}` }], n: 5 });
    expect(input[SECRET][0]).toBe(SECRET);
  });
});

describe('writeReports', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const d = await mkdtemp(join(tmpdir(), 'roma-reports-'));
    dirs.push(d);
    return d;
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('the fixture really does carry the secrets before redaction', () => {
    const raw = [renderJson(makeReport()), renderJunit(makeReport()), renderMarkdown(makeReport())].join('\n');
    expect(raw).toContain(SECRET);
    expect(raw).toContain(encodeURIComponent(SECRET));
    expect(raw).toContain(JSON.stringify(SECRET.replace('/', '\\/')).slice(1, -1)); // slash-escaped, then JSON-quoted
    expect(raw).toContain(escapeMdChars(PASSWORD)); // backslash-escaped in conformance.md
    expect(raw).toContain(PASSWORD.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')); // XML-escaped in junit.xml
  });

  it('writes three files into a new nested dir, none containing any form of a secret', async () => {
    const dir = join(await tempDir(), 'nested', 'out');
    const { files } = await writeReports(makeReport(), dir, SECRETS);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([...REPORT_FILES]);
    for (const f of files) {
      expect(isAbsolute(f)).toBe(true);
      const text = await readFile(f, 'utf8');
      expect(leaks(text), f).toEqual([]);
      expect(text).toContain(REDACTED);
    }
    const json = JSON.parse(await readFile(files[0], 'utf8')) as RunReport;
    const echo = json.cases.find((c) => c.id === 'positive.response.unknown_fields')!;
    expect(echo.response!.headers['x-echo-token']).toBe(REDACTED);
  });

  it('redaction of the rendered text alone is a working last defence', () => {
    for (const text of [renderJson(makeReport()), renderJunit(makeReport()), renderMarkdown(makeReport())]) {
      expect(leaks(redact(text, SECRETS))).toEqual([]);
    }
  });

  it('a secret as short as a quote, a bracket or a letter cannot break the JSON or the XML', async () => {
    const dir = await tempDir();
    const short = ['"', '<', '{', 'a', ':', ',', '1'];
    const { files } = await writeReports(makeReport(), dir, [...SECRETS, ...short]);
    const json = JSON.parse(await readFile(files[0], 'utf8')) as RunReport;
    expect(json.cases.length).toBe(makeReport().cases.length);
    const outcomes = (cs: { outcome: string }[]) => cs.map((c) => c.outcome).sort();
    expect(outcomes(json.cases)).toEqual(outcomes(makeReport().cases));
    const given = new Map(makeReport().cases.map((c) => [c.id, c.description]));
    for (const c of json.cases) expect(c.description).toBe(given.get(c.id)); // a letter no longer blanks out prose
    const xml = await readFile(files[1], 'utf8');
    expect(xml.match(/<testcase /g)?.length).toBe(makeReport().cases.length);
    expect(xml).toMatch(/<\/testsuites>\s*$/);
  });

  // The audit's run: --secret-header 'X-Gw: a' --secret-header 'X-Gw2: "' (and --token t) corrupted every report.
  const SHORT = ['a', '"', 't', 'ab', '1', '<', '{', ':', 'T', '5'];
  /** The fixture with one- and two-character secrets as header values: raw, or as a redaction must leave them. */
  function withShortHeaders(value: (v: string) => string): RunReport {
    const r = makeReport();
    const c = r.cases.find((x) => x.request)!;
    c.request!.headers = { ...c.request!.headers, 'X-Gw': value('a'), 'X-Gw2': value('"'), 'X-Pin': value('ab') };
    return r;
  }

  it('one- and two-character secrets change every report only where a whole value equals them', async () => {
    const [plain, short] = [await tempDir(), await tempDir()];
    const expected = await writeReports(
      withShortHeaders(() => REDACTED),
      plain,
      SECRETS,
    );
    const got = await writeReports(
      withShortHeaders((v) => v),
      short,
      [...SECRETS, ...SHORT],
    );
    for (const [i, f] of got.files.entries()) {
      const text = await readFile(f, 'utf8');
      expect(text, f).toBe(await readFile(expected.files[i], 'utf8'));
      expect(text).not.toMatch(/\w\[REDACTED\]|\[REDACTED\]\w/); // never inside a word
    }
    const json = JSON.parse(await readFile(got.files[0], 'utf8')) as RunReport;
    const c = json.cases.find((x) => x.request?.headers['X-Gw'])!;
    expect([c.request!.headers['X-Gw'], c.request!.headers['X-Gw2'], c.request!.headers['X-Pin']]).toEqual([
      REDACTED,
      REDACTED,
      REDACTED,
    ]);
    expect(leaks(await readFile(got.files[0], 'utf8'))).toEqual([]); // the long secrets are still gone
  });

  it('the console lines are untouched by one- and two-character secrets, long ones still redacted', () => {
    const head = { ...makeReport(), verdict: 'not_conformant' as const, inconclusiveReason: 'token rejected' };
    const lines = [...runLines(head), 'conformance: could not judge: token rejected: the first request'];
    for (const line of lines) expect(redact(line, SHORT)).toBe(line);
    expect(lines.join('\n')).toMatch(/not_conformant/);
    expect(leaks(lines.map((l) => redact(l, [...SECRETS, ...SHORT])).join('\n'))).toEqual([]);
    expect(lines.join('\n')).toContain(SECRET); // the fixture's warning quotes it: there is something to redact
  });

  it('replaces files from a previous run, and removes them even if rendering fails', async () => {
    const dir = await tempDir();
    await mkdir(dir, { recursive: true });
    for (const f of REPORT_FILES) await writeFile(join(dir, f), 'STALE');
    const { files } = await writeReports(makeReport(), dir, SECRETS);
    for (const f of files) expect(await readFile(f, 'utf8')).not.toContain('STALE');

    for (const f of REPORT_FILES) await writeFile(join(dir, f), 'STALE');
    const broken = { ...makeReport(), cases: null } as unknown as RunReport;
    await expect(writeReports(broken, dir, SECRETS)).rejects.toThrow();
    for (const f of REPORT_FILES) await expect(stat(join(dir, f))).rejects.toThrow();
  });
});
