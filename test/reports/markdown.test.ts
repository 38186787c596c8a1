import { describe, expect, it } from 'vitest';
import { code, escapeMd, fenced, renderMarkdown } from '../../reports/markdown.ts';
import { redactDeep } from '../../reports/redact.ts';
import type { CaseRecord } from '../../reports/model.ts';
import { makeReport, NASTY_BODY, RULES, SECRETS } from './fixture.ts';

/** Split Markdown into [fence, lines] blocks, checking every fence is closed. */
function fencedBlocks(md: string): { fence: string; body: string }[] {
  const blocks: { fence: string; body: string }[] = [];
  let open: { fence: string; lines: string[] } | null = null;
  for (const line of md.split('\n')) {
    const m = /^(`{3,})/.exec(line);
    if (!open && m) open = { fence: m[1], lines: [] };
    else if (open && new RegExp(`^\`{${open.fence.length},}\\s*$`).test(line)) {
      blocks.push({ fence: open.fence, body: open.lines.join('\n') });
      open = null;
    } else if (open) open.lines.push(line);
  }
  expect(open).toBeNull();
  return blocks;
}

/** The text between a heading line and the next heading of the same or higher level. */
function section(md: string, heading: string): string {
  const start = md.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const level = heading.split(' ')[0];
  const rest = md.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`^#{1,${level.length}} `, 'm'));
  return next < 0 ? rest : rest.slice(0, next);
}

describe('renderMarkdown', () => {
  const md = renderMarkdown(makeReport());

  it('states the verdict, exit code and run identity in plain words', () => {
    expect(md.startsWith('# Conformance report: Synchronizing VPC Channels in a Project\n')).toBe(true);
    expect(md).toContain('**Verdict: not conformant.** 3 cases failed or timed out');
    expect(md).toContain('exits with code 1 (the API does not conform)');
    expect(md).toContain('1 case ended in an error inside the tool itself');
    expect(md).toContain('- Target: `https://roma.example.com` (external server)');
    expect(md).toContain('- Seed: `42`');
    expect(md).toContain('`roma-vpc-sync-conformance 0.1.0`');
    expect(md).toContain('a'.repeat(64));
    expect(md).toContain('b'.repeat(64));
  });

  it('has a row for every outcome, coverage and flagged expired waivers', () => {
    for (const [o, n] of Object.entries(makeReport().summary))
      expect(md).toMatch(new RegExp(`^\\| (\\*\\*)?${o}(\\*\\*)? \\| ${n} \\|$`, 'm'));
    expect(md).toContain('| 403 | **no** | 0 |');
    expect(md).toContain('| 201 | yes | 5 |');
    expect(md).toContain('| status.403 | no IAM user without permissions | 2024-01-01 **EXPIRED** | 0 |');
    expect(md).toContain('**Expired waivers: 1.**');
  });

  it('groups failures by rule with the page words, most-broken rule first', () => {
    const failures = section(md, '## Failures (4)');
    const headings = failures.match(/^### .*$/gm);
    expect(headings).toEqual([
      '### `table3.instance_ids.type`: Table 3, `instance_ids`',
      '### `robustness.no_unlisted_status`: Status Codes, `(any)`',
      '### `table12.error_body`: Table 12, `error_code`',
      '### `table2.x_auth_token`: Table 2, `X-Auth-Token`',
    ]);
    const ids = section(failures, headings![0]);
    expect(ids).toContain('> Array of strings. List of newly associated instances.');
    expect(ids).toContain('- `status_code`, status 201: 2 cases');
    expect(ids.match(/^#### .*$/gm)).toEqual([
      '#### `negative.table3.instance_ids.type.number` (failed)',
      '#### `negative.table3.instance_ids.type.string` (failed)',
    ]);
    // The case that broke two rules shows up under the other rule too, with only that rule's message.
    const errorBody = section(failures, headings![2]);
    expect(errorBody).toContain('- `error_body_schema`, status 201: 1 case');
    expect(errorBody).toContain("error body: must have required property 'error_code'\nat path /");
    expect(errorBody).not.toContain('expected status 400');
    expect(section(failures, headings![1])).toContain('*Inferred from the Function text');
    expect(section(failures, headings![1])).toContain('- `timeout`, no response: 1 case');
    // Not failures: waived, warning, skipped, passed.
    expect(failures).not.toContain('positive.force_sync.true');
    expect(failures).not.toContain('auth.token.expired');
  });

  it('shows what was sent and received and the curl line in a code block', () => {
    const blocks = fencedBlocks(md);
    const curls = blocks.filter((b) => b.body.startsWith('curl '));
    expect(curls.length).toBe(5); // one per example: 2 + 1 + 1 + 1
    expect(curls.some((b) => b.body.includes(`--data-raw '{"instance_ids":[1,2]}'`))).toBe(true);
    expect(
      blocks.some((b) =>
        b.body.startsWith(
          'POST https://roma.example.com/v2/0123456789abcdef/apic/vpc-channels/syncs\n\n{"instance_ids":[1,2]}',
        ),
      ),
    ).toBe(true);
    expect(blocks.some((b) => b.body === 'HTTP 201\n\n{"project_vpc_channels":[]}')).toBe(true);
    expect(md).toContain('No response was received.');
  });

  it('keeps nasty bodies inside a longer fence and control characters out', () => {
    const blocks = fencedBlocks(md);
    const nasty = blocks.filter((b) => b.body.includes(NASTY_BODY));
    expect(nasty.length).toBe(2);
    for (const b of nasty) expect(b.fence.length).toBeGreaterThan(4); // body holds a run of 4 backticks
    expect(md).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(md).toContain('got 201 \uFFFD(bell)');
  });

  it('escapes pipes in table cells so rows keep their columns', () => {
    const row = md.split('\n').find((l) => l.startsWith('| table3.force\\_sync.default'))!;
    expect(row).toContain('ROMA-1234: force\\_sync ignored \\| fix pending');
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(4); // four cells
  });
  it('has a rule coverage table per page table, in page order, pipes escaped inside code cells', () => {
    const cov = section(md, '## Rule coverage');
    expect(cov).toContain('Of 8 rules in the registry: 3 failed, 1 waived, 2 passed, 1 not observed, 1 not tested.');
    expect(cov.match(/^### .*$/gm)).toEqual([
      '### Table 2',
      '### Table 3',
      '### Table 4',
      '### Table 5',
      '### Table 12',
      '### Table 15',
      '### Status Codes',
    ]);
    expect(cov).toContain(
      '| `table3.instance_ids.type` | `instance_ids` | **failed** | 2 | 0 | `negative.table3.instance_ids.type.number` |',
    );
    expect(cov).toContain('| `table5.dict_code.pattern` | `dict_code` | not observed | 0 | 0 |  |');
    expect(cov).toContain('| `table15.error_code.type` | `error_code\\|<b>` | not tested | 0 | 0 |  |');
  });

  it('puts the run warnings above everything but the verdict, and names the preflight answers', () => {
    const at = (text: string) => md.indexOf(text);
    expect(at('> **Warning:** the token preflight was answered 201')).toBeGreaterThan(at('**Verdict:'));
    expect(at('> **Warning:**')).toBeLessThan(at('- Target:'));
    expect(md).toContain('the credential answered 201: accepted a request it must refuse');
    expect(md).toContain('`docs/POLICY.md`');
  });

  it('lists the side effects, one row per pair, with pipes escaped inside code', () => {
    const side = section(md, '## Side effects');
    expect(side).toContain('reported 1 (channel, instance) pair as synchronized');
    const row = side.split('\n').find((l) => l.startsWith('| `04be'))!;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(5); // five cells, though the instance id holds a pipe
    expect(row).toContain('**no**'); // not both ids given by the user
  });

  it('lists every skipped and not-run case by reason, with what would let it run', () => {
    const untested = section(md, '## Not tested (2)');
    expect(untested).toContain(
      '- **1 skipped**: no expired token supplied (--expired-token). To test them: give --expired-token.',
    );
    expect(untested).toContain('`auth.token.expired`');
    expect(untested).toContain('- **1 not run**: rate limit budget exhausted before this case.');
    expect(untested).toContain('`negative.vpc_channel_id.not_found`');
  });

  it('lists warnings by rule, shorter, and notes escaped', () => {
    const warnings = section(md, '## Warnings (1)');
    expect(warnings).toContain('### `table4.response_schema`: Table 4, `project_vpc_channels`');
    expect(warnings).toContain(
      '- `positive.response.unknown_fields` (`unknown_response_fields`): response has undocumented field "x\\_extra" (value p@ss"w\\&rd\\<1\\>)',
    );
    expect(warnings).not.toContain('```');
    expect(section(md, '## Notes')).toContain('- unknown response field \\`x\\_extra\\` seen in 1 response');
  });

  it('shows at most 5 examples per rule', () => {
    const report = makeReport();
    const many: CaseRecord[] = Array.from({ length: 7 }, (_, i) => ({
      id: `negative.many.${i}`,
      suite: 'negative',
      kind: 'schema-invalid',
      description: '',
      rule: RULES.errorBody,
      seed: i,
      outcome: 'failed',
      checks: [],
      failures: [`boom ${i}`],
    }));
    report.cases = many;
    const out = renderMarkdown(report);
    expect(out.match(/^#### /gm)).toHaveLength(5);
    expect(out).toContain('- `failed`, no response: 7 cases');
    expect(out).toContain('…and 2 more cases; see conformance.json.');
  });

  it('is deterministic and independent of case order', () => {
    const shuffled = makeReport();
    shuffled.cases.reverse();
    expect(renderMarkdown(shuffled)).toBe(md);
  });

  it('says conformant and inconclusive plainly', () => {
    const ok = { ...makeReport(), verdict: 'conformant' as const, exitCode: 0 as const, cases: [] };
    ok.summary = { ...ok.summary, error: 0, skipped: 0, not_run: 0 };
    expect(renderMarkdown(ok)).toContain(
      '**Verdict: conformant.** Every case that was sent got a response the page allows. The run exits with code 0 (success).',
    );
    // A verdict says what it covered: with anything skipped or not run, "on N of M cases".
    const partial = { ...ok, summary: { ...ok.summary, skipped: 2, not_run: 1 }, judged: 7 };
    expect(renderMarkdown(partial)).toContain('**Verdict: conformant on 7 of 10 cases.**');
    expect(renderMarkdown(partial)).toContain('3 cases were not tested');
    const inc = {
      ...makeReport(),
      verdict: 'inconclusive' as const,
      exitCode: 2 as const,
      inconclusiveReason: 'target answered 503 | throttled',
    };
    expect(renderMarkdown(inc)).toContain(
      '**Verdict: inconclusive.** target answered 503 \\| throttled. The run exits with code 2',
    );
  });

  it('matches the snapshot', async () => {
    await expect(renderMarkdown(redactDeep(makeReport(), SECRETS))).toMatchFileSnapshot('./__snapshots__/report.md');
  });
});

describe('markdown helpers', () => {
  it('escapeMd neutralises inline syntax and line starts', () => {
    expect(escapeMd('a|b')).toBe('a\\|b');
    expect(escapeMd('# x')).toBe('\\# x');
    expect(escapeMd('1. x')).toBe('1\\. x');
    expect(escapeMd('- x')).toBe('\\- x');
    expect(escapeMd('*a* _b_ [l](u) <b> `c` $m$ &amp;')).toBe(
      '\\*a\\* \\_b\\_ \\[l\\](u) \\<b\\> \\`c\\` \\$m\\$ \\&amp;',
    );
    expect(escapeMd('line1\nline2')).toBe('line1 line2');
  });

  it('code and fenced pick delimiters longer than the content', () => {
    expect(code('a')).toBe('`a`');
    expect(code('a``b')).toBe('```a``b```');
    expect(code('`x')).toBe('`` `x ``');
    expect(fenced('plain')).toBe('```\nplain\n```');
    expect(fenced('x ````` y', 'text')).toBe('``````text\nx ````` y\n``````');
  });
});
