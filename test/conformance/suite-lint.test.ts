// The suite checks itself, as test262's linter does: every case is self-describing and cites a rule
// the registry has, every check is registered, used and documented, every documented status code is
// claimed, and the sources type-check (vitest transpiles without checking types).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { buildCases } from '../../generators/cases.ts';
import { CHECKS } from '../../suites/checks/index.ts';
import { documentedStatuses, hasRule, responseSchemaName, rule, rules } from '../../schemas/index.ts';
import { DEFAULT_FIXTURES as fx } from '../../server/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cases = buildCases({
  seed: 1,
  vpcChannelIds: [...fx.vpcChannelIds],
  instanceIds: [...fx.instanceIds],
  hasForbiddenToken: true,
  stressRepeats: 3,
});
// The engine's own check name for answers that never came (timeouts, dropped connections, endless bodies).
const TRANSPORT = 'transport';

describe('cases', () => {
  test('ids are unique', () => {
    const seen = new Set<string>();
    const twice = cases.map((c) => c.id).filter((id) => seen.size === seen.add(id).size);
    expect(twice).toEqual([]);
  });

  test("every case cites a registry rule with a table, a parameter and the page's words, and says why it expects its statuses", () => {
    for (const c of cases) {
      expect(hasRule(c.ruleId), `${c.id}: ${c.ruleId}`).toBe(true);
      expect(rule(c.ruleId), c.id).toMatchObject({
        table: expect.stringMatching(/\S/),
        parameter: expect.stringMatching(/\S/),
        text: expect.stringMatching(/\S/),
      });
      expect(c.description, c.id).toMatch(/\S/);
      expect(c.expect.statuses.length, c.id).toBeGreaterThan(0);
      expect(c.expect.why, c.id).toMatch(/\S/);
    }
  });

  test('every rule of the request body (Table 3) is the rule of at least one case', () => {
    const exercised = new Set(cases.map((c) => c.ruleId));
    const body = rules.filter((r) => r.table === 'Table 3');
    expect(body.length).toBeGreaterThan(0);
    expect(body.map((r) => r.id).filter((id) => !exercised.has(id))).toEqual([]);
  });

  test('every documented status code is expected by a case, or is a 5xx that not_a_server_error owns; each has a body schema', () => {
    const expected = new Set(cases.flatMap((c) => c.expect.statuses));
    for (const status of documentedStatuses) {
      expect(
        expected.has(status) || (status >= 500 && cases.every((c) => c.checks.includes('not_a_server_error'))),
        `status ${status}`,
      ).toBe(true);
      expect(responseSchemaName(status), `status ${status}`).toBeDefined();
    }
  });
});

describe('checks', () => {
  test('every check a case names is registered, and every registered check is named by some case', () => {
    const named = new Set(cases.flatMap((c) => c.checks));
    expect([...named].filter((n) => !(n in CHECKS))).toEqual([]);
    expect(Object.keys(CHECKS).filter((n) => !named.has(n))).toEqual([]);
  });

  test('the README documents every check (and the transport failures) in its Checks table, and nothing else', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Checks'), readme.indexOf('\n## ', readme.indexOf('## Checks') + 1));
    const documented = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...Object.keys(CHECKS), TRANSPORT].sort());
  });
});

describe('sources', () => {
  test('type-check with tsc (strict)', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
    expect(r.stdout + r.stderr, 'tsc output').toBe('');
    expect(r.status).toBe(0);
  }, 180_000); // a whole-project tsc took 60 s wall at a load of 11 on this 2-core machine (18 s of CPU)
});
