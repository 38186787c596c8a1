// The plan stage and the case facts it rests on: what a conformant server would do with each case
// (effect, reach), made-up ids when no real ones are given, and which cases are sent or skipped, why,
// and what would enable them, for every consent flag.

import { describe, expect, test } from 'vitest';
import { buildCases, type Case } from '../../generators/cases.ts';
import { DEFAULT_FIXTURES as fx } from '../../server/index.ts';
import { planGroups, planRun, type Plan, type PlanOptions } from '../../suites/run/plan.ts';
import { describeTarget, type TargetFacts } from '../../suites/run/target.ts';

const real = { vpcChannelIds: [...fx.vpcChannelIds], instanceIds: [...fx.instanceIds] };
const withIds = buildCases({ seed: 3, ...real, hasForbiddenToken: true });
const withoutIds = buildCases({ seed: 3, vpcChannelIds: [], instanceIds: [], hasForbiddenToken: false });
const byId = (cases: Case[], id: string) => cases.find((c) => c.id === id)!;
const bodyText = (c: Case) => ('json' in c.body ? JSON.stringify(c.body.json) : c.body.raw);

const remote = (o: Partial<TargetFacts> = {}): TargetFacts => ({
  embedded: false,
  vpcChannelIds: [],
  instanceIds: [],
  hasForbiddenToken: false,
  authMode: 'token',
  ...o,
});
const plan = (facts: TargetFacts, o: Partial<PlanOptions> = {}): Plan => {
  const p = planRun({ seed: 3, ...o }, facts);
  if ('problem' in p) throw new Error(p.problem);
  return p;
};
const sent = (p: Plan) => p.cases.filter((x) => !x.skip).map((x) => x.case);
const skipOf = (p: Plan, id: string) => p.cases.find((x) => x.case.id === id)!.skip;

describe('effect and reach: what a conformant server would do with each case', () => {
  test('positive cases sync, refusable bodies maybe, everything a conformant server must refuse none', () => {
    for (const c of withIds) {
      if (c.suite === 'positive') expect(c.effect, c.id).toBe('sync');
      if (c.suite === 'negative' || c.suite === 'auth') expect(c.effect, c.id).toBe('none');
    }
    expect(byId(withIds, 'robustness.unknown-fields').effect).toBe('maybe');
    expect(byId(withIds, 'robustness.binary-garbage').effect).toBe('none');
  });
  test('a body that leaves out a field, or gives an empty list, reaches "all"; naming only real ids reaches "named"', () => {
    expect(byId(withIds, 'positive.fields.channel-no.instances-yes.force-true').reach).toBe('all');
    expect(byId(withIds, 'positive.fields.channel-yes.instances-no.force-true').reach).toBe('all');
    expect(byId(withIds, 'robustness.empty-instance-ids').reach).toBe('all');
    expect(byId(withIds, 'positive.fields.channel-yes.instances-yes.force-true').reach).toBe('named');
    expect(byId(withIds, 'robustness.instance-ids-1000').reach).toBe('named'); // real ids among unknown ones
  });
  test('judged by what a conformant server would sync, not by the text: a refused or unknown-id body reaches nothing', () => {
    // vpc_channel_id is present in the text but of the wrong type: a conformant server refuses the body.
    const wrongType = withIds.find((c) => c.id.startsWith('negative.table3.vpc_channel_id.type'))!;
    expect(wrongType.reach).toBe('none');
    // No instance_ids, but the channel is one no target holds: nothing can be synchronized.
    expect(byId(withIds, 'robustness.channel-id-64kib').reach).toBe('none');
    expect(byId(withIds, 'robustness.unicode-ids').reach).toBe('none');
  });
});

describe('cases without real ids', () => {
  test('negative and auth cases name well-formed ids that do not exist, and need nothing else', () => {
    // Coercible negatives are the exception: a coercing server is caught only when the other fields are real.
    const refused = withoutIds.filter(
      (x) => (x.suite === 'negative' || x.suite === 'auth') && x.family !== 'negative.coercible',
    );
    expect(refused.length).toBeGreaterThan(20);
    for (const c of refused) {
      expect(bodyText(c), c.id).not.toMatch(/</); // no placeholder text
      expect(
        c.needs.filter((n) => n !== 'forbiddenToken'),
        c.id,
      ).toEqual([]);
    }
    const auth = byId(withoutIds, 'auth.missing-token');
    expect(auth.madeUpIds).toBe(true);
    const body = (auth.body as { json: { vpc_channel_id: string; instance_ids: string[] } }).json;
    expect(body.vpc_channel_id).toMatch(/^[0-9a-f]{32}$/);
    expect([...fx.vpcChannelIds, ...fx.instanceIds]).not.toContain(body.vpc_channel_id);
    expect(body.instance_ids.every((i) => /^[0-9a-f]{32}$/.test(i))).toBe(true);
  });
  test('with real ids nothing is made up', () => {
    expect(withIds.filter((c) => c.madeUpIds).map((c) => c.id)).toEqual([]);
  });
  test('positive and sync cases still need real ids', () => {
    expect(byId(withoutIds, 'positive.fields.channel-yes.instances-yes.force-true').needs).toEqual([
      'vpcChannelId',
      'instanceIds',
    ]);
    expect(byId(withoutIds, 'robustness.duplicate-instance-ids').needs).toEqual(['vpcChannelId', 'instanceIds']);
  });
});

describe('planRun', () => {
  test('the embedded reference server: every case is sent', () => {
    const p = plan(describeTarget({ seed: 3 } as never));
    expect(p.cases.filter((x) => x.skip)).toEqual([]);
  });
  test('a minimal remote configuration: negative and auth cases go, positive ones wait for ids, sync-all for consent', () => {
    const p = plan(remote());
    expect(sent(p).some((c) => c.suite === 'auth')).toBe(true);
    expect(sent(p).some((c) => c.suite === 'negative')).toBe(true);
    expect(skipOf(p, 'positive.fields.channel-yes.instances-yes.force-true')).toEqual({
      reason: 'positive and sync cases need real ids to mean anything',
      enable: 'give --vpc-channel-id and --instance-ids',
    });
    // Needs instance ids, and also consent: its channel is left out.
    expect(skipOf(p, 'positive.fields.channel-no.instances-yes.force-true')?.enable).toBe(
      'give --instance-ids and --allow-sync-all',
    );
    expect(skipOf(p, 'positive.fields.channel-no.instances-no.force-true')?.enable).toBe('give --allow-sync-all');
    expect(skipOf(p, 'auth.forbidden-token')).toEqual({
      reason: '403 not tested: no token without permission was given',
      enable: 'give --forbidden-token',
    });
  });
  test('nothing that reaches "all" goes to a remote target without --allow-sync-all', () => {
    const facts = remote({ ...real, hasForbiddenToken: true });
    expect(sent(plan(facts)).filter((c) => c.reach === 'all')).toEqual([]);
    expect(sent(plan(facts, { allowSyncAll: true })).filter((c) => c.reach === 'all').length).toBeGreaterThan(0);
    expect(plan(facts, { allowSyncAll: true }).cases.filter((x) => x.skip)).toEqual([]);
  });
  test('--no-sync sends only cases a conformant server must refuse', () => {
    const p = plan(remote({ ...real, hasForbiddenToken: true }), { noSync: true });
    expect(sent(p).length).toBeGreaterThan(20);
    expect(sent(p).filter((c) => c.effect !== 'none')).toEqual([]);
    expect(skipOf(p, 'robustness.unknown-fields')?.reason).toMatch(/^--no-sync/);
  });
  test('a forbidden token its preflight found unknown skips the 403 case with that reason', () => {
    const p = plan(remote({ ...real, hasForbiddenToken: true, forbiddenTokenRejected: true }));
    expect(skipOf(p, 'auth.forbidden-token')?.reason).toBe(
      'the forbidden token was rejected as unknown (its preflight was answered 401)',
    );
  });
  test('--case that matches nothing is a problem, not an empty plan', () => {
    expect(planRun({ seed: 3, caseIds: ['no.such.case'] }, remote())).toEqual({
      problem: 'no case with id no.such.case (see --list-cases)',
    });
  });
  test('the plan groups its skips as the report does', () => {
    const groups = planGroups(plan(remote()));
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(plan(remote()).cases.filter((x) => x.skip).length);
    expect(groups.every((g) => g.enable?.startsWith('give'))).toBe(true);
  });
});
