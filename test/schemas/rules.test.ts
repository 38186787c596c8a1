// The runtime evaluation of semantic rules (x-rules): a condition on an enclosing object is looked up
// through the place of the checked object in the whole instance, so Table 7's ECS rules see Table 5.

import { describe, expect, it } from 'vitest';
import { breaks } from '../../schemas/rules.ts';
import { rule, validateResponseBody, type RuleExpr } from '../../schemas/index.ts';

const ecsId = rule('table7.ecs_id.required_if_member_type').expr as RuleExpr;
const entry = (member_type: string | undefined, members: Record<string, unknown>[]) => ({
  name: 'VPC_demo',
  port: 80,
  balance_strategy: 1,
  ...(member_type === undefined ? {} : { member_type }),
  members,
});
const ruleIds = (body: unknown) => validateResponseBody(201, body).map((v) => `${v.ruleId} @ ${v.instancePath}`);

describe('breaks(): required-if with the condition on an enclosing object', () => {
  const root = { project_vpc_channels: [entry('ecs', [{ ecs_name: 'n' }])] };
  const member = root.project_vpc_channels[0].members[0];

  it('is broken when the enclosing entry has the value and the member lacks the field', () => {
    expect(breaks(ecsId, member, { root, pointer: '/project_vpc_channels/0/members/0' })).toBe(
      'ecs_id is required when member_type of the enclosing ProjectVpcChannelInfo (Table 5) is ecs',
    );
  });

  it('holds when the member has the field, or the entry another value, or no value', () => {
    const place = { root, pointer: '/project_vpc_channels/0/members/0' };
    expect(breaks(ecsId, { ...member, ecs_id: 'i' }, place)).toBeNull();
    for (const other of [entry('ip', [member]), entry(undefined, [member]), entry('ECS', [member])])
      expect(breaks(ecsId, member, { root: { project_vpc_channels: [other] }, pointer: place.pointer })).toBeNull();
  });

  it('does not apply when the object is not where the path leads (or nothing encloses it)', () => {
    expect(breaks(ecsId, member)).toBeNull();
    expect(breaks(ecsId, member, { root: member, pointer: '' })).toBeNull();
    expect(breaks(ecsId, member, { root, pointer: '/project_vpc_channels/0/member_groups/0' })).toBeNull();
    expect(breaks(ecsId, member, { root, pointer: '/project_vpc_channels/0/members/x' })).toBeNull();
  });

  it('reads the member_type of the entry that holds the member, not of another entry', () => {
    const body = {
      project_vpc_channels: [entry('ip', [{ host: 'h' }]), entry('ecs', [{ ecs_id: 'a', ecs_name: 'b' }, {}])],
    };
    expect(ruleIds(body).sort()).toEqual([
      'table7.ecs_id.required_if_member_type @ /project_vpc_channels/1/members/1',
      'table7.ecs_name.required_if_member_type @ /project_vpc_channels/1/members/1',
    ]);
  });

  it('is reported through validateResponseBody with its table, parameter and words', () => {
    const [v] = validateResponseBody(201, { project_vpc_channels: [entry('ecs', [{ ecs_id: 'i' }])] });
    expect(v).toMatchObject({
      ruleId: 'table7.ecs_name.required_if_member_type',
      table: 'Table 7',
      parameter: 'ecs_name',
      keyword: 'x-rules',
      instancePath: '/project_vpc_channels/0/members/0',
      text: 'This parameter is mandatory when the backend instance type is ECS.',
    });
  });
});

describe('breaks(): the other forms keep their meaning', () => {
  it('required-if on the same object', () => {
    const path = rule('table8.path.required_if_protocol').expr as RuleExpr;
    expect(breaks(path, { protocol: 'HTTPS' })).toBe('path is required when protocol is HTTPS');
    expect(breaks(path, { protocol: 'TCP' })).toBeNull();
    expect(breaks(path, { protocol: 'HTTP', path: '/h' })).toBeNull();
  });
});
