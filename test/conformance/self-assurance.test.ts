// Self-assurance: every case against the reference server passes, and every fault switch of the
// reference server makes the run fail through the check(s) aimed at its rule id. The engine is
// driven directly (the same cases, checks and records the vitest suites use) to keep this fast.

import { afterAll, describe, expect, test } from 'vitest';
import { buildCases, type Case } from '../../generators/cases.ts';
import { runCase, type RunState } from '../../suites/engine/run-case.ts';
import { CHECKS } from '../../suites/checks/index.ts';
import { startReferenceServer, FAULTS, HARMLESS, DEFAULT_FIXTURES } from '../../server/index.ts';
import type { Target } from '../../suites/engine/http.ts';
import type { CaseRecord } from '../../reports/model.ts';

const fx = DEFAULT_FIXTURES;
const context = {
  seed: 7,
  vpcChannelIds: [...fx.vpcChannelIds],
  instanceIds: [...fx.instanceIds],
  hasForbiddenToken: true,
};
const cases = buildCases(context);
const info = { runSeed: 7 };
// A run given no real ids (a minimal remote configuration): the cases that need none, with made-up ids.
const noIdCases = buildCases({ seed: 7, vpcChannelIds: [], instanceIds: [], hasForbiddenToken: true }).filter((c) =>
  c.needs.every((n) => n === 'forbiddenToken'),
);

// AK/SK mode: every request signed with the fixture key pair; the auth suite adds the two signing cases.
const akskCases = buildCases({ ...context, authMode: 'aksk' });
const AKSK: Partial<Target> = {
  token: '',
  forbiddenToken: undefined,
  aksk: { key: { ...fx.accessKey }, forbidden: { ...fx.forbiddenAccessKey } },
};
const isSigningRule = (ruleId: string) => ruleId.startsWith('auth.aksk.');

async function runAll(
  fault: string | null,
  harmless: string[] = [],
  run: Case[] = cases,
  credentials: Partial<Target> = {},
): Promise<CaseRecord[]> {
  const server = await startReferenceServer({
    port: 0,
    fault: fault as never,
    harmless: harmless as never,
    log: () => {},
  });
  try {
    const target: Target = {
      baseUrl: server.url,
      projectId: fx.projectId,
      token: fx.token,
      forbiddenToken: fx.forbiddenToken,
      timeoutMs: 400,
      maxBodyBytes: 256 * 1024,
      retry: { attempts: 3, maxWaitMs: 10 },
      ...credentials,
    };
    const state: RunState = { consecutiveTimeouts: 0, maxConsecutiveTimeouts: 3 };
    const out: CaseRecord[] = [];
    for (const c of run) out.push(await runCase(c, target, info, state));
    return out;
  } finally {
    await server.close();
  }
}

const failedCitations = (records: CaseRecord[]) =>
  new Set(
    records.flatMap((r) =>
      r.checks.filter((k) => k.outcome === 'failed').flatMap((k) => k.citations.map((c) => c.ruleId)),
    ),
  );
const failedChecks = new Set<string>();

describe('against the reference server', () => {
  test('every case passes: zero failures, timeouts, warnings or errors of ours', async () => {
    const records = await runAll(null);
    const bad = records.filter((r) => r.outcome !== 'passed');
    expect(bad.map((r) => `${r.id}: ${r.outcome} ${r.failures.join(' | ')}`)).toEqual([]);
    expect(records.length).toBe(cases.length);
  });
});

// The signing faults show only on signed requests: they have their own block below.
describe.each(
  FAULTS.filter((f) => f.ruleId !== null && !isSigningRule(f.ruleId)).map((f) => [f.name, f.ruleId!] as const),
)('fault %s', (name, ruleId) => {
  test(`makes the run fail through ${ruleId}`, async () => {
    const records = await runAll(name);
    const failing = records.filter((r) => r.outcome === 'failed' || r.outcome === 'timeout');
    expect(failing.length, `fault ${name} left the run green`).toBeGreaterThan(0);
    const cited = failedCitations(records);
    expect([...cited], `no failure cites ${ruleId}`).toContain(ruleId);
    for (const r of records) for (const k of r.checks) if (k.outcome === 'failed') failedChecks.add(k.check);
    // Every failure is self-describing: rule, what was sent, what came back, how to reproduce.
    for (const r of failing) {
      expect(r.request?.url).toContain('/apic/vpc-channels/syncs');
      expect(r.curl).toMatch(/^(printf -- '(?:[^']|'\\'')*' \| )?curl /); // printf pipes a body holding NULs into curl
      expect(r.failures.length).toBeGreaterThan(0);
    }
  });
});

describe('AK/SK signing', () => {
  test('every signed case passes against the reference server', async () => {
    const records = await runAll(null, [], akskCases, AKSK);
    expect(records.filter((r) => r.outcome !== 'passed').map((r) => `${r.id}: ${r.failures.join(' | ')}`)).toEqual([]);
    expect(records.map((r) => r.id)).toEqual(
      expect.arrayContaining(['auth.aksk.tampered-body', 'auth.aksk.skewed-date']),
    );
  });

  // Each signing fault leaves one part of the signature unchecked, and fails that rule's case alone.
  test.each(FAULTS.filter((f) => f.ruleId && isSigningRule(f.ruleId)).map((f) => [f.name, f.ruleId!] as const))(
    'fault %s fails %s and nothing else',
    async (name, ruleId) => {
      const records = await runAll(name, [], akskCases, AKSK);
      const failing = records.filter((r) => r.outcome !== 'passed');
      expect(failing.map((r) => [r.id, r.outcome])).toEqual([[expect.stringMatching(/^auth\.aksk\./), 'failed']]);
      expect(failing[0].rule.ruleId).toBe(ruleId);
      expect([...failedCitations(records)]).toContain(ruleId);
      expect(failing[0].curl).toMatch(/^npx roma-vpc-sync-conformance .*--case 'auth\.aksk\./);
    },
  );
  test('both signing faults are there', () => {
    expect(
      FAULTS.filter((f) => f.ruleId && isSigningRule(f.ruleId))
        .map((f) => f.ruleId)
        .sort(),
    ).toEqual(['auth.aksk.body_tampered_401', 'auth.aksk.date_skew_401']);
  });
});

// Fair to every reading the page allows: a harmless variation may earn a warning, never a failure.
describe.each(HARMLESS.map((h) => [h.name, h.allowedBy] as const))('harmless switch %s', (name, allowedBy) => {
  test(`leaves the run free of failures (${allowedBy})`, async () => {
    const records = await runAll(null, [name]);
    const bad = records.filter((r) => !['passed', 'warning'].includes(r.outcome));
    expect(bad.map((r) => `${r.id}: ${r.outcome} ${r.failures.join(' | ')}`)).toEqual([]);
    expect(records.length).toBe(cases.length);
  });
});

describe.each([null, ...HARMLESS.map((h) => h.name)])('without real ids (made-up ones), harmless switch %s', (name) => {
  test('leaves the run free of failures', async () => {
    expect(noIdCases.length).toBeGreaterThan(20);
    const records = await runAll(null, name ? [name] : [], noIdCases);
    const bad = records.filter((r) => !['passed', 'warning'].includes(r.outcome));
    expect(bad.map((r) => `${r.id}: ${r.outcome} ${r.failures.join(' | ')}`)).toEqual([]);
    const bodyFirst = records.filter((r) => r.failures.some((f) => /body was checked before the credentials/.test(f)));
    // Only the server that reads the body first earns the warning, on every auth case that expects 401/403.
    if (name === 'credentials-after-body')
      expect(bodyFirst.map((r) => r.id).sort()).toEqual(
        ['auth.forbidden-token', 'auth.malformed-token', 'auth.missing-token', 'auth.unknown-token'].sort(),
      );
    else expect(bodyFirst).toEqual([]);
  });
});

test('auth-missing-as-400: with real ids it fails (the body was valid); with made-up ids it is only a warning', async () => {
  const withIds = await runAll('auth-missing-as-400');
  expect(withIds.find((r) => r.id === 'auth.missing-token')?.outcome).toBe('failed');
  const madeUp = await runAll('auth-missing-as-400', [], noIdCases);
  expect(madeUp.find((r) => r.id === 'auth.missing-token')?.outcome).toBe('warning');
});

test('all harmless switches at once leave the run free of failures', async () => {
  const records = await runAll(
    null,
    HARMLESS.map((h) => h.name),
  );
  const bad = records.filter((r) => !['passed', 'warning'].includes(r.outcome));
  expect(bad.map((r) => `${r.id}: ${r.outcome} ${r.failures.join(' | ')}`)).toEqual([]);
});

test('a deep run (seeded variants of every family) is fair too: free of failures on the reference and on every harmless switch at once', async () => {
  const deep = buildCases({ ...context, examples: 4 });
  expect(deep.length).toBeGreaterThan(cases.length);
  for (const harmless of [[], HARMLESS.map((h) => h.name)]) {
    const records = await runAll(null, harmless, deep);
    const bad = records.filter((r) => !['passed', 'warning'].includes(r.outcome));
    expect(bad.map((r) => `${r.id}: ${r.outcome} ${r.failures.join(' | ')}`)).toEqual([]);
  }
});

test('an unknown instance among known ones (deep run): a 4xx from the reference, 201 for the known ones from unknown-among-known-ignored, both pass', async () => {
  const mixed = buildCases({ ...context, examples: 12 }).filter((c) => c.unknownAmongKnown?.length);
  expect(mixed.length).toBeGreaterThan(1);
  for (const [harmless, status] of [[[], 400] as const, [['unknown-among-known-ignored'], 201] as const]) {
    const records = await runAll(null, [...harmless], mixed);
    expect(records.map((r) => `${r.id}: ${r.response?.status} ${r.outcome} ${r.failures.join(' | ')}`)).toEqual(
      mixed.map((c) => `${c.id}: ${status} passed `),
    );
  }
});

describe('faults without a conformance rule', () => {
  test('throttle-once: every case is retried after the advised wait and passes', async () => {
    const records = await runAll('throttle-once');
    expect(records.filter((r) => r.outcome !== 'passed').map((r) => r.id)).toEqual([]);
    expect(records.some((r) => (r.attempts ?? 1) > 1)).toBe(true);
  });
  test('throttle-always: nothing is judged; the cases are inconclusive, never passed', async () => {
    const records = await runAll('throttle-always');
    expect(records.every((r) => r.outcome === 'not_run' && r.inconclusive === 'throttled')).toBe(true);
  });
  test('token-expires: the run ends "token expired or revoked"; no case is the API\'s failure for it', async () => {
    const records = await runAll('token-expires');
    expect(records.filter((r) => r.outcome === 'failed' || r.outcome === 'timeout').map((r) => r.id)).toEqual([]);
    const ended = records.filter((r) => r.outcome === 'not_run');
    expect(ended.length).toBeGreaterThan(0);
    expect(ended.every((r) => r.inconclusive === 'credential' && /token expired or revoked/.test(r.reason!))).toBe(
      true,
    );
    expect(records.filter((r) => r.outcome === 'passed').length).toBeGreaterThan(0); // judged while the token held
  });
  test('echo-token: the token echoed in headers and bodies never reaches a record', async () => {
    const records = await runAll('echo-token');
    const text = JSON.stringify(records);
    expect(text).not.toContain(fx.token);
    expect(text).not.toContain(fx.forbiddenToken);
    expect(text).toContain('[REDACTED]');
  });
});

afterAll(() => {
  // Every check of the suite is shown to fail on a server that breaks its rule.
  const never = Object.keys(CHECKS).filter((c) => !failedChecks.has(c));
  if (failedChecks.size > 0) expect(never, 'checks no fault made fail').toEqual([]);
});
