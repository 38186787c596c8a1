// Which rules a body gave evidence for, and which answers each rule speaks of (the coverage matrix's inputs).
import { describe, expect, test } from 'vitest';
import { observedRules, ruleCatalogue } from '../../schemas/observed.ts';
import { rules } from '../../schemas/index.ts';
import { validInstanceOf } from '../../generators/cases.ts';

type Json = Record<string, any>;

describe('observedRules', () => {
  test('names the keyword rules of the fields present, and none of the fields absent', () => {
    const body = validInstanceOf('Response201', 3) as Json;
    for (const e of body.project_vpc_channels) delete e.dict_code;
    const seen = observedRules('Response201', body).schema;
    expect(seen).toEqual(expect.arrayContaining(['table4.project_vpc_channels.required', 'table5.port.maximum']));
    expect(seen.filter((id) => id.startsWith('table5.dict_code'))).toEqual([]);
    expect(observedRules('Response201', { project_vpc_channels: [] }).schema).toEqual([
      'table4.body.type',
      'table4.project_vpc_channels.required',
      'table4.project_vpc_channels.type',
    ]);
  });
  test('a cross-field rule applies only where all its fields are, an enclosing condition included', () => {
    const body = validInstanceOf('Response201', 3) as Json;
    for (const e of body.project_vpc_channels) {
      e.member_type = 'ecs';
      e.members = [{ ecs_id: 'a', ecs_name: 'b', host: '10.0.0.1' }];
      e.vpc_health_config = { protocol: 'TCP', threshold_normal: 2, threshold_abnormal: 5, time_interval: 10 };
    }
    expect(observedRules('Response201', body).crossField).toEqual([
      'table7.ecs_id.required_if_member_type',
      'table7.ecs_name.required_if_member_type',
    ]);
    for (const e of body.project_vpc_channels) {
      e.member_type = 'ip';
      e.vpc_health_config.timeout = 5;
    }
    expect(observedRules('Response201', body).crossField).toEqual(['table8.timeout.lt_time_interval']);
  });
  test('an error body names the rules of its own status table', () => {
    expect(observedRules('Response403', { error_code: 'x', error_msg: 'y' }).schema).toEqual([
      'table14.body.type',
      'table14.error_code.required',
      'table14.error_code.type',
      'table14.error_msg.required',
      'table14.error_msg.type',
    ]);
  });
});

describe('ruleCatalogue', () => {
  test('every registry rule once; response tables by the status whose schema holds them', () => {
    const cat = ruleCatalogue();
    expect(cat.map((r) => r.id)).toEqual(rules.map((r) => r.id));
    const scope = (id: string) => cat.find((r) => r.id === id)!.scope;
    expect(scope('table9.cce_info.type')).toEqual([201]);
    expect(scope('table12.error_code.type')).toEqual([400]);
    expect(scope('table15.error_msg.type')).toEqual([500]);
    expect(scope('status_codes.documented')).toBe('answer');
    expect(scope('transport.answers')).toBe('answer');
    expect(scope('table3.force_sync.type')).toBe('case');
    expect(scope('function.sync.requested_channel')).toBe('case');
  });
});
