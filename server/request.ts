// Turns the raw request body into a SyncRequest, or names the parameter that makes it invalid.
// Validation uses the compiled Table 3 schema (schemas/index.ts) so the server and the suite agree on
// what "invalid" means; the extraction below only re-checks types so a lax schema can never make us crash.

import { validateRequestBody } from '../schemas/index.ts';
import type { SyncRequest } from './state.ts';

export type ParsedBody =
  | { ok: true; request: SyncRequest; value: Record<string, unknown> }
  | { ok: false; parameter: string; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true }); // strips a leading BOM, rejects invalid UTF-8

/** How the body's text becomes a value: JSON.parse, unless a fault switch reads it its own way. */
export type BodyReader = (text: string) => unknown;

/**
 * Parses and validates; with acceptInvalid (the accept-invalid fault) anything invalid reads as {}.
 * `read` turns the text into a value (JSON.parse; the wire-form and coercion faults read it otherwise).
 */
export function parseSyncBody(bytes: Buffer, acceptInvalid = false, read: BodyReader = JSON.parse): ParsedBody {
  const result = parseStrict(bytes, read);
  if (!result.ok && acceptInvalid) return { ok: true, request: { forceSync: false }, value: {} };
  return result;
}

function parseStrict(bytes: Buffer, read: BodyReader): ParsedBody {
  if (bytes.length === 0) return invalid('body', 'empty body');
  let value: unknown;
  try {
    value = read(decoder.decode(bytes));
  } catch {
    return invalid('body', 'malformed JSON');
  }
  let violations: { instancePath: string; parameter: string; message: string }[];
  try {
    violations = validateRequestBody(value);
  } catch {
    // A validator failure on pathological input (e.g. absurd nesting) is still the client's bad body.
    return invalid('body', 'unprocessable JSON');
  }
  if (violations.length > 0) {
    const v = violations[0];
    return invalid(topLevelName(v.instancePath) ?? 'body', v.message);
  }
  return extract(value);
}

/** "/instance_ids/0" -> "instance_ids"; "" (the body itself) -> undefined. */
function topLevelName(instancePath: string): string | undefined {
  const first = instancePath.split('/')[1];
  return first ? first.replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

function extract(value: unknown): ParsedBody {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return invalid('body', 'must be an object');
  const o = value as Record<string, unknown>;
  const request: SyncRequest = { forceSync: false };
  if (o.vpc_channel_id !== undefined) {
    if (typeof o.vpc_channel_id !== 'string') return invalid('vpc_channel_id', 'must be a string');
    request.vpcChannelId = o.vpc_channel_id;
  }
  if (o.instance_ids !== undefined) {
    const ids = o.instance_ids;
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string'))
      return invalid('instance_ids', 'must be an array of strings');
    request.instanceIds = ids as string[];
  }
  if (o.force_sync !== undefined) {
    if (typeof o.force_sync !== 'boolean') return invalid('force_sync', 'must be a boolean');
    request.forceSync = o.force_sync;
  }
  return { ok: true, request, value: o };
}

function invalid(parameter: string, reason: string): ParsedBody {
  return { ok: false, parameter, reason };
}
