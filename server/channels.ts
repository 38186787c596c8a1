// The VPC channel records the reference server holds, shaped as the page's Tables 5-11 describe them.
// Every applicable field carries a valid value, so a 201 built from them is a positive example of the
// response schema; the fault switches then break exactly one field.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A channel as stored: Table 5 minus the per-instance fields (instance_id, instance_name). */
export type ChannelRecord = JsonObject & { id: string; name: string };

export interface InstanceRecord {
  id: string;
  name: string;
}

const T_CREATED = '2021-08-04T06:03:47Z';
const T_UPDATED = '2021-08-30T14:02:25Z';

/** Deterministic 32-hex id derived from a seed string, so override fixtures still get stable ids. */
export function derivedId(seed: string): string {
  // FNV-1a over the seed with four different suffixes -> 4 x 8 hex chars.
  let out = '';
  for (let salt = 0; salt < 4; salt++) {
    let h = 0x811c9dc5;
    for (const ch of `${seed}#${salt}`) {
      h ^= ch.codePointAt(0)!;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

function memberGroups(channelId: string, names: string[]): JsonObject[] {
  return names.map((name, i) => ({
    member_group_name: name,
    member_group_remark: `${name} servers`,
    member_group_weight: i === 0 ? 10 : 1,
    dict_code: `mg_${name}`,
    member_group_id: derivedId(`${channelId}/group/${name}`),
    create_time: T_CREATED,
    update_time: T_UPDATED,
  }));
}

function httpHealthCheck(channelId: string): JsonObject {
  return {
    protocol: 'HTTP',
    path: '/vpc/health',
    method: 'GET',
    port: 8080,
    threshold_normal: 2,
    threshold_abnormal: 5,
    time_interval: 10,
    http_code: '200,201,210-299',
    enable_client_ssl: false,
    status: 1,
    timeout: 5,
    vpc_channel_id: channelId,
    id: derivedId(`${channelId}/health`),
    create_time: T_CREATED,
  };
}

function tcpHealthCheck(channelId: string): JsonObject {
  // TCP needs neither path nor http_code (they are required only for HTTP/HTTPS).
  return {
    protocol: 'TCP',
    port: 0,
    threshold_normal: 3,
    threshold_abnormal: 3,
    time_interval: 30,
    enable_client_ssl: false,
    status: 1,
    timeout: 10,
    vpc_channel_id: channelId,
    id: derivedId(`${channelId}/health`),
    create_time: T_CREATED,
  };
}

function member(channelId: string, group: JsonObject, n: number, extra: JsonObject): JsonObject {
  return {
    ...extra,
    weight: 100 - n * 10,
    is_backup: n === 2,
    member_group_name: group.member_group_name as string,
    status: 1,
    port: 8080,
    id: derivedId(`${channelId}/member/${n}`),
    vpc_channel_id: channelId,
    create_time: T_CREATED,
    member_group_id: group.member_group_id as string,
  };
}

function ipChannel(id: string, name: string): ChannelRecord {
  const groups = memberGroups(id, ['default', 'group_b']);
  return {
    name,
    port: 8080,
    balance_strategy: 1,
    member_type: 'ip',
    dict_code: 'vpc_ip_demo',
    create_time: T_CREATED,
    id,
    status: 1,
    member_groups: groups,
    members: [
      member(id, groups[0], 0, { host: '192.168.0.10' }),
      member(id, groups[0], 1, { host: '192.168.0.11' }),
      member(id, groups[1], 2, { host: 'backend.example.internal' }),
    ],
    vpc_health_config: httpHealthCheck(id),
    type: 'BUILTIN',
  };
}

function ecsChannel(id: string, name: string): ChannelRecord {
  const groups = memberGroups(id, ['default', 'group_c']);
  return {
    name,
    port: 443,
    balance_strategy: 2,
    member_type: 'ecs',
    dict_code: 'vpc_ecs_demo',
    create_time: T_CREATED,
    id,
    status: 1,
    member_groups: groups,
    members: [
      member(id, groups[0], 0, { ecs_id: 'c2a1f7e0-5a3b-4c8d-9e1f-0a2b3c4d5e6f', ecs_name: 'ecs-web-01' }),
      member(id, groups[1], 1, { ecs_id: 'd3b2a8f1-6b4c-4d9e-8f2a-1b3c4d5e6f70', ecs_name: 'ecs_web.02' }),
    ],
    vpc_health_config: { ...httpHealthCheck(id), path: '/healthz', http_code: '200' },
    type: 'BUILTIN',
  };
}

/** MicroServiceInfo (Table 9) of a CSE microservice, with its MicroServiceInfoCSE (Table 10). */
export function cseMicroserviceInfo(channelId: string): JsonObject {
  return {
    id: derivedId(`${channelId}/microservice`),
    service_type: 'CSE',
    cse_info: {
      engine_id: 'b0f6a2c8e4d94f1e8a3c5b7d9e1f3a5c',
      service_id: '8e9f1a2b3c4d5e6f7a8b9c0d1e2f3a4b',
      engine_name: 'cse-engine-demo',
      service_name: 'order-service',
      register_address: 'https://192.168.1.30:30100',
      cse_app_id: 'shop-app',
      version: '1.0.0',
    },
    update_time: T_UPDATED,
    create_time: T_CREATED,
  };
}

function microserviceChannel(id: string, name: string): ChannelRecord {
  const groups = memberGroups(id, ['v1_group']);
  return {
    name,
    port: 8081,
    balance_strategy: 3,
    member_type: 'ip',
    dict_code: 'vpc_cse_demo',
    create_time: T_CREATED,
    id,
    status: 1,
    member_groups: groups,
    members: [member(id, groups[0], 0, { host: '10.0.1.20' })],
    vpc_health_config: tcpHealthCheck(id),
    microservice_info: cseMicroserviceInfo(id),
    type: 'MICROSERVICE',
  };
}

const TEMPLATES = [
  { build: ipChannel, name: 'VPC_demo' },
  { build: ecsChannel, name: 'VPC_ecs_demo' },
  { build: microserviceChannel, name: 'VPC_cse_demo' },
];

/** Builds one channel per id, cycling through the three kinds; names stay unique and pattern-valid. */
export function buildChannels(ids: readonly string[]): ChannelRecord[] {
  return ids.map((id, i) => {
    const t = TEMPLATES[i % TEMPLATES.length];
    const round = Math.floor(i / TEMPLATES.length);
    return t.build(id, round === 0 ? t.name : `${t.name}_${round + 1}`);
  });
}

export function buildInstances(ids: readonly string[]): InstanceRecord[] {
  return ids.map((id, i) => ({ id, name: `roma_instance_${i + 1}` }));
}
