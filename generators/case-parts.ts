// The parts every case family is built from: the media type, the statuses a case may expect and why,
// the checks that judge each kind of answer, and what a body needs from the target.

import { operation } from '../schemas/index.ts';
import { policy } from '../schemas/policy.ts';
import type { Case, Need } from './cases.ts';

export const JSON_CT = 'application/json';
export const CREATED = operation.statusCodes.find((s) => s.status === 201)!.status;
export const DOCUMENTED_4XX = operation.statusCodes.map((s) => s.status).filter((s) => s >= 400 && s < 500);

/** Checks that judge every answer. */
export const COMMON = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'cross_field_conformance',
  'error_payload_conformance',
];
/** Checks that judge what a 201 says was synchronized. */
export const SYNC = [
  'sync_requested_instances_only',
  'sync_requested_channel',
  'sync_every_instance_when_forced',
  'sync_entry_self_consistent',
];

export const EXPECT = {
  created: {
    statuses: [CREATED],
    why: `Status code: 201 (success); a 400 to a valid request is a warning unless force_sync is true (${policy(4)})`,
  },
  rejected: {
    statuses: [400],
    why: `Status code: 400 Bad Request; a request that breaks a documented constraint must be rejected (${policy(6)})`,
  },
  createdOrRejected: {
    statuses: [CREATED, 400],
    why: `no 5xx; any documented status the page allows for it (${policy(3)})`,
  },
  notFound: {
    statuses: DOCUMENTED_4XX,
    why: `a documented 4xx (${DOCUMENTED_4XX.join('/')}) with a valid error body; the page does not say which (${policy(3)})`,
  },
  unknownAmongKnown: {
    statuses: [CREATED, ...DOCUMENTED_4XX],
    why: `a documented 4xx, or 201 with entries for the ids that exist and none for the one that does not: the page does not say which (${policy(3)})`,
  },
} satisfies Record<string, Case['expect']>;

/** The real ids a body names: a case that names them is skipped when the target gave none. */
export const needsOf = (body: unknown): Need[] => {
  const o = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  return [
    ...(o.vpc_channel_id !== undefined ? (['vpcChannelId'] as Need[]) : []),
    ...(o.instance_ids !== undefined ? (['instanceIds'] as Need[]) : []),
  ];
};
