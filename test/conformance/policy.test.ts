// The ambiguity policy the reports cite lives in the repo (docs/POLICY.md), numbered as cited, and
// nothing the tool ships points outside the repo for it.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { rules } from '../../schemas/index.ts';
import { POLICY_COUNT, POLICY_DOC, policy } from '../../schemas/policy.ts';
import { HARMLESS } from '../../server/index.ts';
import { cli, readFile, readReport, root, tmp } from './cli-helpers.ts';

const doc = readFileSync(join(root, POLICY_DOC), 'utf8');
const numbered = [...doc.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1]));

/** The files the tool is made of and documents itself with (not its tests, not generated output). */
function sources(dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const rel = relative(root, path);
    if (/^(node_modules|\.git|reports\/out|bench\/out|test)(\/|$)/.test(rel)) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|md|json)$/.test(name) && rel !== 'package-lock.json' ? [rel] : [];
  });
}

describe('docs/POLICY.md', () => {
  test('numbers its policies 1..N, as the code cites them', () => {
    expect(numbered).toEqual(Array.from({ length: POLICY_COUNT }, (_, i) => i + 1));
    expect(policy(8)).toBe('policy 8, docs/POLICY.md');
    expect(() => policy(POLICY_COUNT + 1)).toThrow(/no policy/);
  });
  test('holds "credentials before the body" and the consent rules the reports rely on', () => {
    expect(doc).toMatch(/^8\. \*\*Credentials come before the body\.\*\*/m);
    expect(doc).toMatch(/the body was checked before the credentials/);
    expect(doc).toMatch(/## Consent before side effects/);
  });
  test('every "policy N" the sources, the errata, the registry or a harmless switch cite exists there', () => {
    const texts = [
      ...sources().map((f) => readFileSync(join(root, f), 'utf8')),
      ...rules.map((r) => r.text),
      ...HARMLESS.map((h) => h.allowedBy),
    ];
    const cited = new Set(texts.flatMap((t) => [...t.matchAll(/\bpolic(?:y|ies) (\d+)/g)].map((m) => Number(m[1]))));
    expect(cited.size).toBeGreaterThan(5);
    for (const n of cited) expect(numbered, `policy ${n}`).toContain(n);
  });
  test('nothing the tool ships points outside the repo for its policy or design', () => {
    const outside = sources().filter((f) =>
      /\.\.\/shared|shared\/DESIGN|DESIGN\.md/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(outside).toEqual([]);
  });
  test('every report of a run says where "policy N" is defined, and that file ships in the package', async () => {
    const dir = tmp();
    const r = await cli(['--report-dir', dir, '--case', 'robustness.duplicate-instance-ids']);
    expect(r.code, r.stderr).toBe(0);
    expect(readReport(dir).policies).toBe(POLICY_DOC);
    expect(readFile(dir, 'junit.xml')).toContain(
      `<property name="policies" value="${POLICY_DOC} in roma-vpc-sync-conformance: what &quot;policy N&quot; refers to"/>`,
    );
    expect(readFile(dir, 'conformance.html')).toContain(
      `<dt>Policies</dt><dd>"policy N" is the ambiguity policy in <code>${POLICY_DOC}</code>`,
    );
    expect(readFile(dir, 'conformance.md')).toContain(`ambiguity policy in \`${POLICY_DOC}\``);
    const { files } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
    expect(files).toContain(POLICY_DOC);
  });
  test('the README points to it', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('docs/POLICY.md');
  });
});
